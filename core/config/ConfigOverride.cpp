#include "config/ConfigOverride.h"

#include "config/YamlReader.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace anthology {

QString ConfigOverride::sourceName(int index)
{
    return u"command line, argument %1"_s.arg(index);
}

Result<ConfigOverride> ConfigOverride::parse(const QString &argument, int index)
{
    ConfigOverride out;
    out.text = argument;
    out.source = {sourceName(index), 0, 0};
    const auto fail = [&](const QString &message) {
        return Error::at(out.source.file, 0, 0, u"%1 (in override '%2')"_s.arg(message, argument));
    };

    QString rest = argument;
    if (rest.startsWith(u"++"_s)) {
        out.action = Action::Force;
        rest = rest.mid(2);
    } else if (rest.startsWith(u'+')) {
        out.action = Action::Add;
        rest = rest.mid(1);
    } else if (rest.startsWith(u'~')) {
        out.action = Action::Delete;
        rest = rest.mid(1);
    }

    const qsizetype eq = rest.indexOf(u'=');
    out.key = (eq < 0 ? rest : rest.left(eq)).trimmed();
    static const QRegularExpression keyPattern(
        u"^[A-Za-z0-9_\\-]+([./][A-Za-z0-9_\\-]+)*(@[A-Za-z0-9_.]+)?$"_s);
    if (!keyPattern.match(out.key).hasMatch())
        return fail(u"expected key=value with a key like a.b.c or group/option, got key '%1'"_s.arg(out.key));

    if (eq < 0) {
        if (out.action != Action::Delete)
            return fail(u"expected key=value"_s);
        return out;
    }
    out.hasValue = true;
    const QString valueText = rest.mid(eq + 1);
    if (valueText.isEmpty()) {
        // `key=` sets the empty string, as in Hydra.
        out.value = ConfigNode::scalar(QString(), true, out.source);
        return out;
    }
    Result<ConfigNode> parsed = YamlReader::parse(valueText.toUtf8(), out.source.file);
    if (!parsed.ok() || parsed->isMap()) {
        // Not a YAML value (or something like "a: b" that YAML reads as a map): keep the text.
        out.value = ConfigNode::scalar(valueText, true, out.source);
    } else {
        out.value = std::move(parsed.value());
    }
    out.value.setLocationRecursive(out.source);
    return out;
}

} // namespace anthology
