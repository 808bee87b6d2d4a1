#include "run/RunInvocation.h"

#include "project/ProjectFile.h"
#include "project/Statement.h"
#include "run/RunTypes.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcessEnvironment>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

const QString redactedValue = u"<redacted>"_s;

bool secretName(QString name)
{
    name = name.toLower();
    if (name.endsWith(u"_env"_s) || name.endsWith(u"-env"_s))
        return false;
    // "token" but not "tokens": max_tokens and tokens_per_minute are counts, not credentials.
    static const QRegularExpression secret(u"(api[_-]?key|token(?!s)|secret|password|passwd|authorization)"_s);
    return secret.match(name).hasMatch();
}

// Values of environment variables that hold secrets, long enough not to match by accident.
QStringList secretValues()
{
    QStringList values;
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    static const QRegularExpression secret(u"(KEY|TOKEN|SECRET|PASSWORD)"_s);
    for (const QString &name : env.keys()) {
        const QString value = env.value(name);
        if (value.size() >= 8 && secret.match(name.toUpper()).hasMatch())
            values.append(value);
    }
    return values;
}

QString shellQuoted(const QString &arg)
{
    static const QRegularExpression plain(u"^[A-Za-z0-9_@%+=:,./-]+$"_s);
    if (!arg.isEmpty() && plain.match(arg).hasMatch())
        return arg;
    return u'\'' + QString(arg).replace(u"'"_s, u"'\\''"_s) + u'\'';
}

QJsonArray stringArray(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

QStringList stringList(const QJsonValue &value)
{
    QStringList out;
    for (const QJsonValue &v : value.toArray())
        out.append(v.toString());
    return out;
}

} // namespace

QStringList RunInvocation::redacted(const QStringList &arguments)
{
    const QStringList secrets = secretValues();
    QStringList out;
    bool nextIsSecret = false;
    for (const QString &arg : arguments) {
        QString a = arg;
        if (nextIsSecret) {
            a = redactedValue;
            nextIsSecret = false;
        } else if (a.startsWith(u"--"_s)) {
            const qsizetype eq = a.indexOf(u'=');
            const QString name = a.mid(2, eq < 0 ? -1 : eq - 2);
            if (secretName(name)) {
                if (eq < 0)
                    nextIsSecret = true;
                else
                    a = a.left(eq + 1) + redactedValue;
            }
        } else if (const qsizetype eq = a.indexOf(u'='); eq > 0 && secretName(a.left(eq))) {
            a = a.left(eq + 1) + redactedValue; // a config override key=value
        }
        for (const QString &s : secrets)
            if (a.contains(s))
                a.replace(s, redactedValue);
        out.append(a);
    }
    return out;
}

RunInvocation RunInvocation::capture(const QStringList &arguments)
{
    RunInvocation i;
    i.arguments = redacted(arguments);
    i.workingDirectory = QDir::currentPath();
    return i;
}

QJsonObject RunInvocation::toJson() const
{
    QJsonObject o{{u"program"_s, program},
                  {u"arguments"_s, stringArray(arguments)},
                  {u"working_directory"_s, workingDirectory}};
    if (!configName.isEmpty() || !configDirs.isEmpty()) {
        o.insert(u"config_dirs"_s, stringArray(configDirs));
        o.insert(u"config_name"_s, configName);
        o.insert(u"overrides"_s, stringArray(redacted(overrides)));
    }
    return o;
}

std::optional<RunInvocation> RunInvocation::fromJson(const QJsonObject &json)
{
    if (!json.value(u"arguments"_s).isArray())
        return std::nullopt;
    RunInvocation i;
    i.program = json.value(u"program"_s).toString(u"anthology"_s);
    i.arguments = stringList(json.value(u"arguments"_s));
    i.workingDirectory = json.value(u"working_directory"_s).toString();
    i.configDirs = stringList(json.value(u"config_dirs"_s));
    i.configName = json.value(u"config_name"_s).toString();
    i.overrides = stringList(json.value(u"overrides"_s));
    return i;
}

std::optional<RunInvocation> RunInvocation::of(const RunInfo &run)
{
    const QJsonObject config = QJsonDocument::fromJson(run.config.toUtf8()).object();
    return fromJson(config.value(QLatin1StringView(configKey)).toObject());
}

QStringList RunInvocation::argumentsFor(const QString &project) const
{
    if (project.isEmpty())
        return arguments;
    QStringList out;
    bool replaced = false;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString &a = arguments[i];
        // -p is the CLI's short name for --project: a command given -p must not get a second one.
        if ((a == u"--project"_s || a == u"-p"_s) && i + 1 < arguments.size()) {
            out << a << project;
            ++i;
            replaced = true;
        } else if (a.startsWith(u"--project="_s) || a.startsWith(u"-p="_s)) {
            out << a.left(a.indexOf(u'=') + 1) + project;
            replaced = true;
        } else {
            out << a;
        }
    }
    if (!replaced)
        out << u"--project"_s << project;
    return out;
}

QString RunInvocation::commandLine(const QString &project) const
{
    QStringList parts{program};
    for (const QString &a : argumentsFor(project))
        parts.append(shellQuoted(a));
    const QString command = parts.join(u' ');
    if (workingDirectory.isEmpty())
        return command;
    return u"cd "_s + shellQuoted(workingDirectory) + u" && "_s + command;
}

Status RunInvocation::record(ProjectFile &project, qint64 runId) const
{
    Statement read = project.prepare("SELECT config FROM runs WHERE id = ?1");
    if (!read.ok())
        return read.error();
    read.bind(1, runId);
    Result<bool> row = read.step();
    if (!row)
        return row.error();
    if (!*row)
        return Error::user(u"no run %1 in the project"_s.arg(runId));
    const QJsonDocument doc = QJsonDocument::fromJson(read.columnUtf8(0));
    if (!doc.isObject())
        return Error::internal(u"run %1: its stored config is not a JSON object"_s.arg(runId));
    QJsonObject config = doc.object();
    config.insert(QLatin1StringView(configKey), toJson());
    Statement write = project.prepare("UPDATE runs SET config = ?1 WHERE id = ?2");
    if (!write.ok())
        return write.error();
    write.bindUtf8(1, QJsonDocument(config).toJson(QJsonDocument::Indented)).bind(2, runId);
    return write.exec();
}

} // namespace anthology
