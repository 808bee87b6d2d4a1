#include "llm/EndpointProfile.h"

#include "survey/SurveyTypes.h"

#include <QHostAddress>

namespace anthology {

using namespace Qt::StringLiterals;

namespace {

struct ProviderDefaults
{
    const char *name;
    const char *baseUrl;
    const char *keyEnv;
    int maxN;        // 0: unknown
    int maxLogprobs; // 0: unknown
};

// Known limits: llama-server serves one choice per request; OpenAI caps completions logprobs at 5.
constexpr ProviderDefaults kProviders[] = {
    {"openai", "https://api.openai.com/v1", "OPENAI_API_KEY", 0, 5},
    {"together", "https://api.together.xyz/v1", "TOGETHER_API_KEY", 0, 0},
    {"localhost", "http://localhost:8000/v1", "", 0, 0},
    {"ollama", "http://localhost:11434/v1", "", 1, 0},
    {"llamacpp", "http://localhost:8080/v1", "", 1, 0},
};

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
    EndpointProfile p;
    const QString provider = params.apiProvider.trimmed().toLower();
    const ProviderDefaults *defaults = nullptr;
    for (const ProviderDefaults &d : kProviders) {
        if (provider == QLatin1StringView(d.name))
            defaults = &d;
    }
    QString base = params.baseUrl.trimmed();
    QList<LlmEndpoint> extra = params.endpoints;
    if (base.isEmpty() && !extra.isEmpty())
        base = extra.takeFirst().baseUrl.trimmed();
    if (defaults) {
        p.provider = provider;
        if (base.isEmpty())
            base = QString::fromLatin1(defaults->baseUrl);
        p.apiKeyEnv = QString::fromLatin1(defaults->keyEnv);
        if (defaults->maxN > 0)
            p.maxN = defaults->maxN;
        if (defaults->maxLogprobs > 0)
            p.maxLogprobs = defaults->maxLogprobs;
    } else if (provider.startsWith(u"http://"_s) || provider.startsWith(u"https://"_s)) {
        p.provider = u"url"_s;
        if (base.isEmpty())
            base = params.apiProvider.trimmed();
    } else if (!base.isEmpty()) {
        p.provider = u"url"_s;
    } else {
        return Error::user(
                   u"unknown api_provider '%1': expected openai, together, localhost, ollama, llamacpp, "
                   "or an http(s) URL, or set base_url"_s.arg(params.apiProvider))
            .withKey(u"api_provider"_s);
    }
    const QUrl url(base, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"http"_s && url.scheme() != u"https"_s) || url.host().isEmpty())
        return Error::user(u"expected an http:// or https:// base URL with a host, got '%1'"_s.arg(base))
            .withKey(u"base_url"_s);
    p.baseUrl = normalizedBase(url);
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
    p.model = params.modelName;
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

} // namespace anthology
