#include "llm/EndpointProfile.h"

#include "llm/ProviderCatalog.h"
#include "survey/SurveyTypes.h"

#include <QCryptographicHash>
#include <QJsonArray>

#include <QHostAddress>

namespace anthology {

using namespace Qt::StringLiterals;

namespace {

QUrl normalizedBase(QUrl url)
{
    QString path = url.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    if (path.isEmpty())
        path = u"/v1"_s;
    url.setPath(path);
    return url;
}

} // namespace

Result<EndpointProfile> EndpointProfile::fromParameters(const LlmParameters &params)
{
    const Result<ProviderCatalog> &catalog = ProviderCatalog::standard();
    if (!catalog)
        return catalog.error();
    EndpointProfile p;
    const QString provider = params.apiProvider.trimmed().toLower();
    const ProviderEntry *entry = catalog->match(provider);
    QString base = params.baseUrl.trimmed();
    QList<LlmEndpoint> extra = params.endpoints;
    if (base.isEmpty() && !extra.isEmpty())
        base = extra.takeFirst().baseUrl.trimmed();
    if (provider.startsWith(u"http://"_s) || provider.startsWith(u"https://"_s)) {
        entry = nullptr;
        p.provider = u"url"_s;
        if (base.isEmpty())
            base = params.apiProvider.trimmed();
    } else if (entry) {
        p.provider = entry->name;
        if (base.isEmpty())
            base = entry->baseUrl.toString();
    } else if (!base.isEmpty()) {
        p.provider = u"url"_s;
    } else {
        return Error::user(
                   u"unknown api_provider '%1': expected one of %2 (or a name containing one of them, "
                   "as together.ai), an http(s) URL, or set base_url; the names are in %3"_s.arg(
                       params.apiProvider, catalog->names().join(u", "_s), ProviderCatalog::standardPath()))
            .withKey(u"api_provider"_s);
    }
    const QUrl url(base, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"http"_s && url.scheme() != u"https"_s) || url.host().isEmpty())
        return Error::user(u"expected an http:// or https:// base URL with a host, got '%1'"_s.arg(base))
            .withKey(u"base_url"_s);
    p.baseUrl = normalizedBase(url);
    // A known provider's host implies its key and limits, whatever api_provider says: a group
    // naming only api_base: https://api.openai.com/v1 still needs OPENAI_API_KEY.
    if (const ProviderEntry *byHost = catalog->forHost(p.baseUrl.host());
        byHost && (!entry || entry->apiKeyEnv.isEmpty()))
        entry = byHost;
    if (entry) {
        p.apiKeyEnv = entry->apiKeyEnv;
        p.maxN = entry->maxN;
        p.maxLogprobs = entry->maxLogprobs;
    }
    p.maxInFlight = params.maxInFlight;
    if (!params.endpoints.isEmpty() && params.baseUrl.trimmed().isEmpty()) {
        const LlmEndpoint &first = params.endpoints.first();
        p.maxInFlight = first.maxInFlight ? first.maxInFlight : p.maxInFlight;
    }
    for (const LlmEndpoint &e : std::as_const(extra)) {
        const QUrl mirrorUrl(e.baseUrl.trimmed(), QUrl::StrictMode);
        if (!mirrorUrl.isValid() || (mirrorUrl.scheme() != u"http"_s && mirrorUrl.scheme() != u"https"_s) ||
            mirrorUrl.host().isEmpty())
            return Error::user(
                       u"expected an http:// or https:// base URL with a host in base_urls, got '%1'"_s.arg(
                           e.baseUrl))
                .withKey(u"base_urls"_s);
        const QUrl normalized = normalizedBase(mirrorUrl);
        if (normalized == p.baseUrl)
            continue;
        bool seen = false;
        for (const EndpointMirror &m : std::as_const(p.mirrors))
            seen = seen || m.baseUrl == normalized;
        if (seen)
            continue;
        p.mirrors.append({normalized, e.maxInFlight, e.requestsPerMinute, e.tokensPerMinute});
    }
    if (!params.apiKeyEnv.isEmpty())
        p.apiKeyEnv = params.apiKeyEnv;
    p.requestedModel = params.modelName.trimmed();
    p.model = p.requestedModel;
    if (entry) {
        const QString mapped = entry->models.value(p.requestedModel.toLower());
        if (mapped == QLatin1StringView(ProviderCatalog::discover))
            p.model.clear();
        else if (!mapped.isEmpty())
            p.model = mapped;
    }
    p.chat = params.chat;
    p.systemPrompt = params.systemPrompt;
    p.pricePer1kPromptTokens = params.pricePer1kPromptTokens;
    p.pricePer1kCompletionTokens = params.pricePer1kCompletionTokens;
    p.requestsPerMinute = params.requestsPerMinute;
    p.tokensPerMinute = params.tokensPerMinute;
    if (params.maxN)
        p.maxN = params.maxN;
    if (params.maxLogprobs)
        p.maxLogprobs = params.maxLogprobs;
    p.allowInsecure = params.allowInsecure;
    QList<std::pair<std::optional<int>, const char *>> positives{
        {params.requestsPerMinute, "requests_per_minute"},
        {params.tokensPerMinute, "tokens_per_minute"},
        {params.maxN, "max_n"},
        {params.maxInFlight, "max_in_flight"}};
    for (const LlmEndpoint &e : params.endpoints)
        positives << std::pair{e.maxInFlight, "max_in_flight"}
                  << std::pair{e.requestsPerMinute, "requests_per_minute"}
                  << std::pair{e.tokensPerMinute, "tokens_per_minute"};
    for (const auto &[value, key] : positives) {
        if (value && *value < 1)
            return Error::user(u"expected a positive %1, got %2"_s.arg(QLatin1StringView(key)).arg(*value))
                .withKey(QString::fromLatin1(key));
    }
    return p;
}

EndpointProfile EndpointProfile::forUrl(const QUrl &baseUrl, const QString &model)
{
    EndpointProfile p;
    p.provider = u"url"_s;
    p.baseUrl = normalizedBase(baseUrl);
    p.model = model;
    return p;
}

QList<EndpointProfile> EndpointProfile::endpoints() const
{
    QList<EndpointProfile> out;
    EndpointProfile primary = *this;
    primary.mirrors.clear();
    out.append(primary);
    for (const EndpointMirror &m : mirrors) {
        EndpointProfile p = primary;
        p.baseUrl = m.baseUrl;
        // Unset limits are the primary's: each server of a list is usually run alike.
        p.maxInFlight = m.maxInFlight ? m.maxInFlight : primary.maxInFlight;
        p.requestsPerMinute = m.requestsPerMinute ? m.requestsPerMinute : primary.requestsPerMinute;
        p.tokensPerMinute = m.tokensPerMinute ? m.tokensPerMinute : primary.tokensPerMinute;
        out.append(p);
    }
    return out;
}

QUrl EndpointProfile::endpointUrl(const QString &path) const
{
    QUrl url = baseUrl;
    url.setPath(baseUrl.path() + u'/' + path);
    return url;
}

QByteArray EndpointProfile::apiKey() const
{
    if (apiKeyEnv.isEmpty())
        return {};
    return qgetenv(apiKeyEnv.toLocal8Bit().constData()).trimmed();
}

bool EndpointProfile::isLoopback() const
{
    const QString host = baseUrl.host();
    if (host.compare(u"localhost"_s, Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

Status EndpointProfile::checkKeyTransport() const
{
    if (baseUrl.scheme() == u"https"_s || allowInsecure || isLoopback() || apiKey().isEmpty())
        return Status::success();
    return Error::user(u"refusing to send the API key in $%1 over plain http to %2: use https, or set "
                       "allow_insecure: true if this network is trusted"_s.arg(apiKeyEnv, baseUrl.host()))
        .withKey(u"allow_insecure"_s);
}

QString EndpointProfile::displayUrl() const
{
    return baseUrl.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment).toString();
}

double EndpointProfile::cost(qint64 promptTokens, qint64 completionTokens) const
{
    return pricePer1kPromptTokens.value_or(0.0) * double(promptTokens) / 1000.0 +
           pricePer1kCompletionTokens.value_or(0.0) * double(completionTokens) / 1000.0;
}

QJsonObject EndpointProfile::describe(const QString &modelId) const
{
    QJsonObject o{{u"provider"_s, provider}, {u"base_url"_s, displayUrl()}};
    if (!mirrors.isEmpty()) {
        QJsonArray urls;
        for (const EndpointProfile &e : endpoints())
            urls.append(e.displayUrl());
        o.insert(u"base_urls"_s, urls);
    }
    o.insert(u"model_name"_s, requestedModel);
    const QString id = model.isEmpty() ? modelId : model;
    o.insert(u"model_id"_s, id);
    if (model.isEmpty())
        o.insert(u"model_from"_s, u"the first model the server lists"_s);
    if (!apiKeyEnv.isEmpty())
        o.insert(u"api_key_env"_s, apiKeyEnv);
    return o;
}

QByteArray EndpointProfile::cacheScope(const QString &modelId) const
{
    QStringList urls;
    for (const EndpointProfile &e : endpoints())
        urls.append(e.displayUrl());
    urls.sort();
    const QString id = model.isEmpty() ? modelId : model;
    return (urls.join(u' ') + u'\n' + (id.isEmpty() ? requestedModel : id)).toUtf8();
}

} // namespace anthology
