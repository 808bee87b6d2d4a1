#include "llm/ProviderCatalog.h"

#include "config/ConfigFieldReader.h"
#include "config/ConfigSchema.h"
#include "config/YamlReader.h"

#include <QDir>
#include <QFileInfo>

#include <limits>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

#define TRY(expr)                                                                                            \
    do {                                                                                                     \
        if (Status s_ = (expr); !s_.ok())                                                                    \
            return s_.error();                                                                               \
    } while (false)

Result<ProviderEntry> readEntry(const ConfigNode &node, const QString &path, QList<Error> &warnings)
{
    ConfigFieldReader r(&node, path, &warnings);
    TRY(r.requireMap(&node));
    ProviderEntry e;
    TRY(r.string(u"name"_s, e.name, true));
    e.name = e.name.trimmed().toLower();
    if (e.name.isEmpty())
        return r.error(r.node(u"name"_s), u"name"_s, u"expected a provider name"_s);
    QString match = u"exact"_s;
    TRY(r.oneOf(u"match"_s, match, {u"exact"_s, u"contains"_s}));
    e.matchContains = match == u"contains"_s;
    QString base;
    TRY(r.string(u"base_url"_s, base, true));
    e.baseUrl = QUrl(base.trimmed(), QUrl::StrictMode);
    if (!e.baseUrl.isValid() || e.baseUrl.host().isEmpty() ||
        (e.baseUrl.scheme() != u"http"_s && e.baseUrl.scheme() != u"https"_s))
        return r.error(r.node(u"base_url"_s), u"base_url"_s,
                       u"expected an http:// or https:// base URL with a host, got '%1'"_s.arg(base));
    TRY(r.string(u"api_key_env"_s, e.apiKeyEnv));
    TRY(r.optionalInteger(u"max_n"_s, e.maxN, 1, std::numeric_limits<int>::max()));
    TRY(r.optionalInteger(u"max_logprobs"_s, e.maxLogprobs, 0, 20));
    if (const ConfigNode *models = r.node(u"models"_s); models && !models->isNull()) {
        ConfigFieldReader m(models, r.keyPath(u"models"_s), &warnings);
        TRY(m.requireMap(models));
        for (const auto &[shortName, id] : models->entries()) {
            if (!id.isScalar() || id.text().trimmed().isEmpty())
                return m.error(&id, shortName, u"expected a model id or 'discover'"_s);
            e.models.insert(shortName.trimmed().toLower(), id.text().trimmed());
        }
    }
    TRY(r.rejectUnknown({u"name"_s, u"match"_s, u"base_url"_s, u"api_key_env"_s, u"max_n"_s,
                         u"max_logprobs"_s, u"models"_s}));
    return e;
}

} // namespace

Result<ProviderCatalog> ProviderCatalog::parse(const ConfigNode &root)
{
    QList<Error> warnings;
    ConfigFieldReader r(&root, QString(), &warnings);
    TRY(r.requireMap(&root));
    const ConfigNode *list = r.node(u"providers"_s);
    if (!list || !list->isSequence() || list->items().empty())
        return r.error(list, u"providers"_s, u"expected a non-empty list of providers"_s);
    ProviderCatalog catalog;
    for (size_t i = 0; i < list->items().size(); ++i) {
        Result<ProviderEntry> e = readEntry(list->items()[i], u"providers.%1"_s.arg(i), warnings);
        if (!e)
            return e.error();
        catalog.m_entries.append(std::move(*e));
    }
    TRY(r.rejectUnknown({u"providers"_s}));
    return catalog;
}

Result<ProviderCatalog> ProviderCatalog::load(const QString &path)
{
    Result<ConfigNode> root = YamlReader::parseFile(path);
    if (!root)
        return root.error();
    return parse(*root);
}

QString ProviderCatalog::standardPath()
{
    const QString dir = ConfigSchema::defaultConfigDir();
    const QString onDisk = dir.isEmpty() ? QString() : QDir(dir).filePath(QLatin1StringView(fileName));
    if (!onDisk.isEmpty() && QFileInfo(onDisk).isFile())
        return onDisk;
    return u":/anthology/configs/"_s + QLatin1StringView(fileName);
}

const Result<ProviderCatalog> &ProviderCatalog::standard()
{
    static const Result<ProviderCatalog> catalog = load(standardPath());
    return catalog;
}

const ProviderEntry *ProviderCatalog::match(const QString &apiProvider) const
{
    const QString wanted = apiProvider.trimmed().toLower();
    if (wanted.isEmpty())
        return nullptr;
    for (const ProviderEntry &e : m_entries)
        if (e.name == wanted)
            return &e;
    for (const ProviderEntry &e : m_entries)
        if (e.matchContains && wanted.contains(e.name))
            return &e;
    return nullptr;
}

const ProviderEntry *ProviderCatalog::forHost(const QString &host) const
{
    for (const ProviderEntry &e : m_entries)
        if (!e.apiKeyEnv.isEmpty() && e.baseUrl.host().compare(host, Qt::CaseInsensitive) == 0)
            return &e;
    return nullptr;
}

QStringList ProviderCatalog::names() const
{
    QStringList out;
    for (const ProviderEntry &e : m_entries)
        out.append(e.name);
    return out;
}

} // namespace anthology
