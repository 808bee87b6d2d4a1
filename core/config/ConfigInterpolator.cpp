#include "config/ConfigInterpolator.h"

#include <QDir>
#include <QLocale>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

constexpr int kMaxDepth = 64;
constexpr int kMaxWalkDepth = 512;
constexpr int kMaxResolutions = 100000;
constexpr qsizetype kMaxCopiedNodes = 100000;
constexpr qsizetype kMaxStringLength = 1000000;
constexpr qsizetype kMaxProducedChars = 10000000;

class Resolver
{
public:
    Resolver(ConfigNode &root, const ConfigInterpolator::Context &context) : m_root(root), m_context(context)
    {
    }

    Status walk(const QString &path, int depth = 0)
    {
        // Children are addressed by dotted path; a key that is empty or holds a '.' would
        // address its parent again and recurse forever (found by FuzzConfigLoader), so such keys
        // are not walked, and the depth is bounded as the YAML reader bounds nesting.
        if (depth > kMaxWalkDepth)
            return Error::user(u"the config nests deeper than %1 levels"_s.arg(kMaxWalkDepth)).withKey(path);
        ConfigNode *node = m_root.find(path);
        if (!node)
            return {};
        if (node->isScalar() && node->text().contains(u"${"_s)) {
            if (Status s = resolveAt(path); !s.ok())
                return s;
            node = m_root.find(path);
        }
        const QString dot = path.isEmpty() ? QString() : path + u'.';
        if (node->isMap()) {
            const QStringList keys = node->keys();
            for (const QString &key : keys) {
                if (key.isEmpty() || key.contains(u'.'))
                    continue;
                if (Status s = walk(dot + key, depth + 1); !s.ok())
                    return s;
            }
        } else if (node->isSequence()) {
            const size_t count = node->items().size();
            for (size_t i = 0; i < count; ++i)
                if (Status s = walk(dot + QString::number(i), depth + 1); !s.ok())
                    return s;
        }
        return {};
    }

    QString outputDir()
    {
        if (!m_context.outputDir.isEmpty())
            return m_context.outputDir;
        if (m_outputDir.isEmpty()) {
            const ConfigNode *runDir = m_root.find(u"hydra.run.dir"_s);
            if (runDir && runDir->isScalar() && m_stack.size() < kMaxDepth) {
                if (resolveAt(u"hydra.run.dir"_s).ok()) {
                    const ConfigNode *resolved = m_root.find(u"hydra.run.dir"_s);
                    if (resolved && resolved->isScalar())
                        m_outputDir = resolved->text();
                }
            }
            if (m_outputDir.isEmpty())
                m_outputDir =
                    u"outputs/"_s + ConfigInterpolator::formatTime(m_context.now, u"%Y-%m-%d/%H-%M-%S"_s);
        }
        return m_outputDir;
    }

private:
    Error errorAt(const QString &path, const QString &message) const
    {
        const ConfigNode *node = m_root.find(path);
        const SourceLocation at = node ? node->location() : SourceLocation();
        Error e = Error::at(at.file, at.line, at.column, message);
        e.withKey(path);
        return e;
    }

    // Resolves the scalar at `path` and stores the result there.
    Status resolveAt(const QString &path)
    {
        ConfigNode *node = m_root.find(path);
        if (!node || !node->isScalar() || !node->text().contains(u"${"_s))
            return {};
        if (m_stack.contains(path))
            return errorAt(path, u"interpolation cycle: %1 -> %2"_s.arg(m_stack.join(u" -> "_s), path));
        if (m_stack.size() >= kMaxDepth)
            return errorAt(path, u"interpolation nests deeper than %1 levels"_s.arg(kMaxDepth));
        if (++m_resolutions > kMaxResolutions)
            return errorAt(path, u"more than %1 interpolations"_s.arg(kMaxResolutions));
        m_stack.append(path);
        const QString text = node->text();
        const bool quoted = node->isQuoted();
        const SourceLocation where = node->location();
        Result<ConfigNode> value = interpolate(text, quoted, path);
        m_stack.removeLast();
        if (!value.ok())
            return value.error();
        node = m_root.find(path); // the tree may have changed shape while resolving
        if (!node)
            return {};
        *node = std::move(value.value());
        node->setLocationRecursive(where);
        return {};
    }

    // Finds the closing brace of an interpolation that opens at `start` ("${").
    static qsizetype closing(const QString &text, qsizetype start)
    {
        int depth = 0;
        for (qsizetype i = start; i < text.size(); ++i) {
            if (text[i] == u'{')
                ++depth;
            else if (text[i] == u'}' && --depth == 0)
                return i;
        }
        return -1;
    }

    Result<ConfigNode> interpolate(const QString &text, bool quoted, const QString &path)
    {
        // A value that is exactly one ${...} takes the target's type (a number, a map...).
        if (text.startsWith(u"${"_s) && closing(text, 1) == text.size() - 1)
            return expression(text.mid(2, text.size() - 3), path);
        QString out;
        for (qsizetype i = 0; i < text.size();) {
            if (text[i] == u'\\' && text.mid(i + 1, 2) == u"${"_s) {
                out += u"${"_s;
                i += 3;
                continue;
            }
            if (text.mid(i, 2) == u"${"_s) {
                const qsizetype end = closing(text, i + 1);
                if (end < 0)
                    return errorAt(path, u"expected '}' to close the interpolation in '%1'"_s.arg(text));
                Result<ConfigNode> part = expression(text.mid(i + 2, end - i - 2), path);
                if (!part.ok())
                    return part.error();
                if (part->isMap() || part->isSequence())
                    return errorAt(path,
                                   u"expected a scalar for the interpolation '%1' inside a string"_s.arg(
                                       text.mid(i, end - i + 1)));
                out += part->isNull() ? u"null"_s : part->text();
                i = end + 1;
                continue;
            }
            out += text[i];
            ++i;
        }
        Q_UNUSED(quoted);
        // "${b}${b}" chains double at each level; bound what interpolation may build.
        m_producedChars += out.size();
        if (out.size() > kMaxStringLength || m_producedChars > kMaxProducedChars)
            return errorAt(
                path, u"interpolation builds a string longer than %1 characters"_s.arg(kMaxStringLength));
        return ConfigNode::scalar(out, true);
    }

    Result<ConfigNode> expression(QString inner, const QString &path)
    {
        inner = inner.trimmed();
        // Nested interpolations in the expression itself, e.g. ${oc.env:${var_name}}.
        if (inner.contains(u"${"_s)) {
            Result<ConfigNode> expanded = interpolate(inner, true, path);
            if (!expanded.ok())
                return expanded.error();
            inner = expanded->text();
        }
        static const QRegularExpression keyPattern(u"^\\.*[A-Za-z0-9_\\-]+(\\.[A-Za-z0-9_\\-]+)*$"_s);
        if (keyPattern.match(inner).hasMatch())
            return reference(inner, path);
        const qsizetype colon = inner.indexOf(u':');
        if (colon > 0) {
            const QString resolver = inner.left(colon).trimmed();
            const QString args = inner.mid(colon + 1);
            if (resolver == "now"_L1)
                return ConfigNode::scalar(ConfigInterpolator::formatTime(m_context.now, args), true);
            if (resolver == "hydra"_L1)
                return hydra(args.trimmed(), path);
            if (resolver == "oc.env"_L1) {
                const qsizetype comma = args.indexOf(u',');
                const QString var = (comma < 0 ? args : args.left(comma)).trimmed();
                const QByteArray value = qgetenv(var.toLocal8Bit().constData());
                if (!value.isNull())
                    return ConfigNode::scalar(QString::fromLocal8Bit(value), true);
                if (comma >= 0)
                    return ConfigNode::scalarToVariant(args.mid(comma + 1).trimmed(), false).isNull()
                               ? ConfigNode::null()
                               : ConfigNode::scalar(args.mid(comma + 1).trimmed(), false);
                return errorAt(path, u"environment variable '%1' is not set"_s.arg(var));
            }
            return errorAt(path, u"unknown resolver '%1' (expected now, hydra or oc.env)"_s.arg(resolver));
        }
        return errorAt(path, u"expected a key or resolver:arguments in '${%1}'"_s.arg(inner));
    }

    Result<ConfigNode> reference(const QString &key, const QString &path)
    {
        QString target = key;
        if (key.startsWith(u'.')) {
            qsizetype dots = 0;
            while (dots < key.size() && key[dots] == u'.')
                ++dots;
            QStringList base = path.split(u'.');
            base.removeLast(); // the referencing key itself
            for (qsizetype i = 1; i < dots; ++i) {
                if (base.isEmpty())
                    return errorAt(path, u"relative interpolation '${%1}' climbs above the root"_s.arg(key));
                base.removeLast();
            }
            base.append(key.mid(dots));
            target = base.join(u'.');
        }
        const ConfigNode *node = m_root.find(target);
        if (!node)
            return errorAt(path, u"interpolation target '%1' not found"_s.arg(target));
        if (path == target || path.startsWith(target + u'.'))
            return errorAt(path,
                           u"interpolation cycle: '%1' refers to itself through '%2'"_s.arg(path, target));
        if (node->isScalar() && node->text().contains(u"${"_s)) {
            if (Status s = resolveAt(target); !s.ok())
                return s.error();
            node = m_root.find(target);
            if (!node)
                return errorAt(path, u"interpolation target '%1' not found"_s.arg(target));
        }
        m_copiedNodes += countNodes(*node);
        if (m_copiedNodes > kMaxCopiedNodes)
            return errorAt(path, u"interpolations copy more than %1 nodes"_s.arg(kMaxCopiedNodes));
        return *node;
    }

    static qsizetype countNodes(const ConfigNode &node)
    {
        qsizetype n = 1;
        for (const auto &entry : node.entries())
            n += countNodes(entry.second);
        for (const ConfigNode &item : node.items())
            n += countNodes(item);
        return n;
    }

    Result<ConfigNode> hydra(const QString &key, const QString &path)
    {
        if (key == "runtime.output_dir"_L1)
            return ConfigNode::scalar(outputDir(), true);
        if (key == "runtime.cwd"_L1)
            return ConfigNode::scalar(QDir::currentPath(), true);
        if (key == "job.name"_L1 || key == "job.config_name"_L1)
            return ConfigNode::scalar(m_context.configName, true);
        return reference(u"hydra."_s + key, path);
    }

    ConfigNode &m_root;
    const ConfigInterpolator::Context &m_context;
    QStringList m_stack;
    QString m_outputDir;
    int m_resolutions = 0;
    qsizetype m_copiedNodes = 0;
    qsizetype m_producedChars = 0;
};

} // namespace

Status ConfigInterpolator::resolve(ConfigNode &root, const Context &context, QString *outputDirUsed)
{
    Resolver resolver(root, context);
    if (Status s = resolver.walk(QString()); !s.ok())
        return s;
    if (outputDirUsed)
        *outputDirUsed = resolver.outputDir();
    return {};
}

QString ConfigInterpolator::formatTime(const QDateTime &when, const QString &format)
{
    const QLocale c = QLocale::c();
    QString out;
    for (qsizetype i = 0; i < format.size(); ++i) {
        if (format[i] != u'%' || i + 1 >= format.size()) {
            out += format[i];
            continue;
        }
        const QChar code = format[++i];
        switch (code.unicode()) {
        case 'Y':
            out += when.toString(u"yyyy"_s);
            break;
        case 'y':
            out += when.toString(u"yy"_s);
            break;
        case 'm':
            out += when.toString(u"MM"_s);
            break;
        case 'd':
            out += when.toString(u"dd"_s);
            break;
        case 'H':
            out += when.toString(u"HH"_s);
            break;
        case 'I':
            out += QString::number((when.time().hour() + 11) % 12 + 1).rightJustified(2, u'0');
            break;
        case 'M':
            out += when.toString(u"mm"_s);
            break;
        case 'S':
            out += when.toString(u"ss"_s);
            break;
        case 'p':
            out += when.time().hour() < 12 ? u"AM"_s : u"PM"_s;
            break;
        case 'j':
            out += QString::number(when.date().dayOfYear()).rightJustified(3, u'0');
            break;
        case 'a':
            out += c.dayName(when.date().dayOfWeek(), QLocale::ShortFormat);
            break;
        case 'A':
            out += c.dayName(when.date().dayOfWeek(), QLocale::LongFormat);
            break;
        case 'b':
            out += c.monthName(when.date().month(), QLocale::ShortFormat);
            break;
        case 'B':
            out += c.monthName(when.date().month(), QLocale::LongFormat);
            break;
        case 'f':
            out += QString::number(when.time().msec() * 1000).rightJustified(6, u'0');
            break;
        case '%':
            out += u'%';
            break;
        default:
            out += u'%' + code;
        }
    }
    return out;
}

} // namespace anthology
