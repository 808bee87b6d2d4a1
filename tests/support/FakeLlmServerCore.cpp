#include "FakeLlmServerCore.h"

#include "llm/SocketBytes.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <cstring>

#ifdef Q_OS_LINUX
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>
#endif

namespace anthology::test {

using namespace Qt::StringLiterals;

namespace {

constexpr int kFullAnswerTokens = 6;

QByteArray errorJson(int code, const QString &message, const QString &type)
{
    return QJsonDocument(
               QJsonObject{
                   {u"error"_s, QJsonObject{{u"code"_s, code}, {u"message"_s, message}, {u"type"_s, type}}}})
        .toJson(QJsonDocument::Compact);
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 404:
        return "Not Found";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

// Deterministic pseudo-logprob in (-3, -0.01] from a key.
double pseudoLogprob(const QByteArray &key)
{
    const QByteArray d = QCryptographicHash::hash(key, QCryptographicHash::Md5);
    return -0.01 - double(quint8(d.at(0)) * 256 + quint8(d.at(1))) / 65536.0 * 3.0;
}

QString promptKeyOf(const QJsonObject &json)
{
    if (json.contains(u"messages"_s)) {
        QStringList parts;
        for (const QJsonValue &m : json.value(u"messages"_s).toArray())
            parts.append(m.toObject().value(u"content"_s).toString());
        return parts.join(u'\n');
    }
    return json.value(u"prompt"_s).toString();
}

// How long the request's last bytes had waited in the kernel when the server read them, to the
// kernel's tick (4 ms at HZ=250), from Linux's TCP_INFO; 0 elsewhere. The server's lateness
// counts from its read, so a server falling behind on reading (a thousand connections opening at
// once) shows here, not there.
int readLagMs(const QTcpSocket *socket)
{
#ifdef Q_OS_LINUX
    tcp_info info{};
    socklen_t length = sizeof(info);
    if (getsockopt(int(socket->socketDescriptor()), IPPROTO_TCP, TCP_INFO, &info, &length) == 0)
        return int(info.tcpi_last_data_recv);
#else
    Q_UNUSED(socket);
#endif
    return 0;
}

// Into the kernel now, not on the next pass of the loop when the write notifier fires; the
// first answer on each connection through Qt's buffer cost a fresh 32 KiB block (a thousand of
// them at once at the start of a run).
void sendNow(QTcpSocket *socket, const QByteArray &bytes)
{
    const qsizetype sent = sendDirect(socket, bytes);
    if (sent < bytes.size()) {
        socket->write(bytes.constData() + sent, bytes.size() - sent);
        socket->flush();
    }
}

// p50, p99 and max of `values` (sorted here), as a JSON object.
QJsonObject percentiles(std::vector<qint32> &values)
{
    std::sort(values.begin(), values.end());
    const auto at = [&values](double q) {
        return values.empty() ? 0 : values[std::min(values.size() - 1, size_t(double(values.size()) * q))];
    };
    return QJsonObject{{u"p50"_s, at(0.5)}, {u"p99"_s, at(0.99)}, {u"max"_s, values.empty() ? 0 : values.back()}};
}

} // namespace

FakeLlmServerCore::FakeLlmServerCore(FakeLlmServer *owner) : m_owner(owner) {}

quint16 FakeLlmServerCore::listen(const QHostAddress &address, quint16 port)
{
    warmHeap(m_owner->config().warmHeapMiB);
    m_random = SeededRandom(m_owner->config().seed);
    m_clock.start();
    m_server = new QTcpServer(this);
    m_server->setMaxPendingConnections(4096);
    connect(m_server, &QTcpServer::newConnection, this, &FakeLlmServerCore::onNewConnection);
    if (!m_server->listen(address, port))
        return 0;
    return m_server->serverPort();
}

// In blocks below glibc's mmap threshold, so they come from (and go back to) this thread's heap.
void FakeLlmServerCore::warmHeap(int mib)
{
    constexpr size_t kBlock = 64 * 1024;
    std::vector<void *> blocks;
    blocks.reserve(size_t(qMax(0, mib)) * (1024 * 1024 / kBlock));
    for (size_t i = 0; i < blocks.capacity(); ++i) {
        void *block = std::malloc(kBlock);
        if (!block)
            break;
        std::memset(block, 1, kBlock);
        blocks.push_back(block);
    }
    for (void *block : blocks)
        std::free(block);
}

void FakeLlmServerCore::shutdown()
{
    if (m_server)
        m_server->close();
    m_held.clear();
    const QList<QTcpSocket *> sockets = m_connections.keys();
    for (QTcpSocket *s : sockets) {
        s->disconnect(this);
        s->abort();
        delete s;
    }
    m_connections.clear();
}

void FakeLlmServerCore::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        m_connections.insert(socket, {});
        m_owner->connectionOpened();
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            dropHeld(socket);
            const auto it = m_connections.constFind(socket);
            if (it != m_connections.cend() && it->completion)
                m_owner->completionClosed();
            if (m_connections.remove(socket))
                m_owner->connectionClosed();
            socket->deleteLater();
        });
    }
}

void FakeLlmServerCore::onReadyRead(QTcpSocket *socket)
{
    auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    appendAvailable(socket, it->buffer);
    const qint64 arrivedNs = m_clock.nsecsElapsed();
    const int lagMs = readLagMs(socket);
    if (it->busy)
        return; // one exchange at a time per connection; the rest waits in the buffer
    const qsizetype headerEnd = it->buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0)
        return;
    const QList<QByteArray> lines = it->buffer.left(headerEnd).split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    FakeRequest request;
    request.method = requestLine.value(0);
    request.path = requestLine.value(1);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines.at(i).indexOf(':');
        if (colon > 0)
            request.headers.insert(lines.at(i).left(colon).trimmed().toLower(),
                                   lines.at(i).mid(colon + 1).trimmed());
    }
    const qsizetype length = request.headers.value("content-length", "0").toLongLong();
    if (it->buffer.size() < headerEnd + 4 + length)
        return;
    request.body = it->buffer.mid(headerEnd + 4, length);
    it->buffer.remove(0, headerEnd + 4 + length);
    it->busy = true;
    it->close = request.headers.value("connection").toLower() == "close";
    request.json = QJsonDocument::fromJson(request.body).object();
    request.sequence = ++m_sequence;
    request.attempt =
        m_owner->m_keepHistory ? ++m_attempts[request.method + ' ' + request.path + ' ' + request.body] : 1;
    if (request.path != "/stats")
        m_readLagMs.push_back(lagMs);
    handle(socket, std::move(request), arrivedNs);
}

void FakeLlmServerCore::handle(QTcpSocket *socket, FakeRequest request, qint64 arrivedNs)
{
    if (request.method == "GET" && request.path == "/stats") {
        answerStats(socket); // the bench's, not a client's: not counted
        return;
    }
    m_owner->record(request);
    if (request.path.endsWith("completions")) {
        if (auto it = m_connections.find(socket); it != m_connections.end()) {
            it->completion = true;
            m_owner->completionOpened();
        }
    }
    if (request.path.endsWith("completions") && !m_owner->admitCompletion()) {
        ++m_owner->m_held;
        m_held.append({socket, std::move(request)});
        return;
    }
    answer(socket, std::move(request), arrivedNs);
}

void FakeLlmServerCore::releaseHeld()
{
    while (!m_held.isEmpty() && m_owner->admitCompletion()) {
        auto [socket, request] = m_held.takeFirst();
        --m_owner->m_held;
        answer(socket, std::move(request), m_clock.nsecsElapsed()); // its latency runs from now
    }
}

// {"answers": n, "late_us": {"p50", "p99", "max"}, "read_lag_ms": {...}} over the answers and
// requests since the last call, which starts the next count: a bench reads it after each client it
// ran against this server.
void FakeLlmServerCore::answerStats(QTcpSocket *socket)
{
    std::vector<qint32> late, lag;
    late.swap(m_lateUs);
    lag.swap(m_readLagMs);
    const QJsonObject stats{
        {u"answers"_s, qint64(late.size())},
        {u"late_us"_s, percentiles(late)},
        {u"read_lag_ms"_s, percentiles(lag)}};
    write(socket, 200, "application/json", QJsonDocument(stats).toJson(QJsonDocument::Compact));
}

void FakeLlmServerCore::dropHeld(QTcpSocket *socket)
{
    const qsizetype before = m_held.size();
    m_held.removeIf([socket](const auto &held) { return held.first == socket; });
    m_owner->m_held -= int(before - m_held.size());
}

void FakeLlmServerCore::answer(QTcpSocket *socket, FakeRequest request, qint64 arrivedNs)
{
    const FakeLlmServerConfig config = m_owner->config();
    FakeReply reply;
    std::optional<FakeReply> scripted = config.script ? config.script(request) : std::nullopt;
    if (scripted) {
        reply = *scripted;
    } else if (config.fault != FakeFault::None) {
        if (request.attempt <= config.faultFirstAttempts ||
            (config.faultRate > 0 && m_random.uniform() < config.faultRate))
            reply.fault = config.fault;
    }
    int latency = reply.latencyMs;
    if (latency < 0) {
        latency = config.latencyMs;
        if (config.latencyJitterMs > 0)
            latency += int(m_random.below(quint64(config.latencyJitterMs) + 1));
        if (config.latencyExponentialMeanMs > 0)
            latency += int(-std::log(1.0 - m_random.uniform()) * config.latencyExponentialMeanMs);
    }
    if (reply.fault == FakeFault::Stall)
        return; // the client's timeout ends it
    const FakeFault fault = reply.fault;
    const qint64 dueNs = arrivedNs + qint64(qMax(0, latency)) * 1000000;
    const auto respondNow = [this, socket, config, fault, dueNs](const FakeRequest &r) {
        respond(socket, r, config, fault);
        m_lateUs.push_back(qint32(qMin<qint64>((m_clock.nsecsElapsed() - dueNs) / 1000, INT_MAX)));
    };
    if (latency <= 0) {
        respondNow(request);
        return;
    }
    // Precise at any latency (Qt's default turns coarse, up to 5% late, from 2 s on).
    QTimer::singleShot(latency, Qt::PreciseTimer, socket,
                       [respondNow, request = std::move(request)] { respondNow(request); });
}

void FakeLlmServerCore::respond(QTcpSocket *socket, const FakeRequest &request,
                                const FakeLlmServerConfig &config, FakeFault fault)
{
    QList<QPair<QByteArray, QByteArray>> retryAfter;
    if (config.retryAfterSeconds >= 0) {
        if (config.retryAfterAsDate) {
            const QDateTime when = QDateTime::currentDateTimeUtc().addSecs(config.retryAfterSeconds);
            retryAfter.append({"Retry-After",
                               QLocale::c().toString(when, u"ddd, dd MMM yyyy HH:mm:ss 'GMT'"_s).toLatin1()});
        } else {
            retryAfter.append({"Retry-After", QByteArray::number(config.retryAfterSeconds)});
        }
    }
    switch (fault) {
    case FakeFault::RateLimited:
        write(socket, 429, "application/json",
              errorJson(429, u"Rate limit reached for requests"_s, u"requests"_s), retryAfter);
        return;
    case FakeFault::ServerError:
        write(socket, 500, "application/json", errorJson(500, u"internal error"_s, u"server_error"_s));
        return;
    case FakeFault::BadGateway:
        write(socket, 502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>");
        return;
    case FakeFault::Unavailable:
        write(socket, 503, "application/json", errorJson(503, u"Loading model"_s, u"unavailable_error"_s),
              retryAfter);
        return;
    case FakeFault::BadRequest:
        write(socket, 400, "application/json",
              errorJson(400, u"invalid prompt"_s, u"invalid_request_error"_s));
        return;
    case FakeFault::Unauthorized:
        write(socket, 401, "application/json",
              errorJson(401, u"Invalid API key"_s, u"invalid_request_error"_s));
        return;
    case FakeFault::NotFound:
        write(socket, 404, "application/json", errorJson(404, u"Not Found"_s, u"not_found_error"_s));
        return;
    case FakeFault::WrongContentType:
        write(socket, 200, "text/html", "<html><body>Welcome to the captive portal</body></html>");
        return;
    default:
        break;
    }

    const QByteArray auth = request.headers.value("authorization");
    if (!config.requiredApiKey.isEmpty() && auth != "Bearer " + config.requiredApiKey) {
        // Real servers echo (part of) the key they got: the client must not pass it on.
        const QString got = QString::fromLatin1(auth.mid(7));
        write(socket, 401, "application/json",
              errorJson(401, u"Incorrect API key provided: %1"_s.arg(got), u"invalid_request_error"_s));
        return;
    }
    const bool chat = request.path.endsWith("/chat/completions");
    if (request.method == "GET" && request.path.endsWith("/models")) {
        const QJsonObject model{{u"id"_s, config.modelId},
                                {u"object"_s, u"model"_s},
                                {u"created"_s, 1700000000},
                                {u"owned_by"_s, u"fake"_s}};
        write(socket, 200, "application/json",
              QJsonDocument(QJsonObject{{u"object"_s, u"list"_s}, {u"data"_s, QJsonArray{model}}})
                  .toJson(QJsonDocument::Compact));
        return;
    }
    if (request.method != "POST" || !(chat || request.path.endsWith("/completions"))) {
        write(socket, 404, "application/json", errorJson(404, u"File Not Found"_s, u"not_found_error"_s));
        return;
    }
    const QString model = request.json.value(u"model"_s).toString();
    if (model != config.modelId) {
        write(socket, 404, "application/json",
              errorJson(404, u"The model `%1` does not exist."_s.arg(model), u"NotFoundError"_s));
        return;
    }
    const int n = request.json.value(u"n"_s).toInt(1);
    if (config.maxN > 0 && n > config.maxN) {
        write(socket, 500, "application/json",
              errorJson(500, u"Only one completion choice is allowed"_s, u"server_error"_s));
        return;
    }
    const QJsonValue lp = request.json.value(u"logprobs"_s);
    const int wanted = chat ? request.json.value(u"top_logprobs"_s).toInt(0) : lp.toInt(0);
    if (config.maxLogprobs > 0 && wanted > config.maxLogprobs) {
        const QByteArray body =
            QJsonDocument(QJsonObject{{u"object"_s, u"error"_s},
                                      {u"message"_s, u"Requested sample logprobs of %1, which is greater "
                                                     "than max allowed: %2"_s.arg(wanted)
                                                         .arg(config.maxLogprobs)},
                                      {u"type"_s, u"BadRequestError"_s},
                                      {u"code"_s, 400}})
                .toJson(QJsonDocument::Compact);
        write(socket, 400, "application/json", body);
        return;
    }

    QByteArray body = completionBody(request, config, chat);
    if (fault == FakeFault::TruncatedJson) {
        body.truncate(body.size() / 2);
    } else if (fault == FakeFault::InvalidUtf8) {
        const qsizetype at = body.indexOf("\"text\":\"") >= 0 ? body.indexOf("\"text\":\"") + 8
                                                              : body.indexOf("\"content\":\"") + 11;
        body.insert(at, "\xff\xfe\xc3");
    } else if (fault == FakeFault::ResetMidBody) {
        QByteArray head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                          QByteArray::number(body.size()) + "\r\n\r\n";
        socket->write(head + body.left(body.size() / 2));
        socket->flush();
        socket->abort();
        return;
    }
    write(socket, 200, "application/json", body);
}

QByteArray FakeLlmServerCore::completionBody(const FakeRequest &request, const FakeLlmServerConfig &config,
                                             bool chat) const
{
    const QJsonObject &json = request.json;
    const QString promptKey = promptKeyOf(json);
    const int n = qMax(1, json.value(u"n"_s).toInt(1));
    const int maxTokens = json.value(u"max_tokens"_s).toInt(16);
    std::optional<qint64> seed;
    if (json.value(u"seed"_s).isDouble())
        seed = json.value(u"seed"_s).toInteger();
    const bool wantLogprobs =
        chat ? json.value(u"logprobs"_s).toBool() : json.value(u"logprobs"_s).isDouble();
    const int top = chat ? json.value(u"top_logprobs"_s).toInt(0) : json.value(u"logprobs"_s).toInt(0);
    const bool contentShape = chat || config.shape == FakeShape::LlamaCpp;

    QJsonArray choices;
    qint64 completionTokens = 0;
    for (int i = 0; i < n; ++i) {
        std::optional<QStringList> hooked =
            config.answer ? config.answer(promptKey, seed, i, maxTokens) : std::nullopt;
        bool cut = false;
        if (hooked && hooked->size() > maxTokens) {
            *hooked = hooked->mid(0, maxTokens);
            cut = true;
        }
        const QStringList tokens =
            hooked ? *hooked : FakeLlmServer::answerTokens(promptKey, seed, i, maxTokens);
        completionTokens += tokens.size();
        const QString text = tokens.join(QString());
        const bool length = hooked ? cut : tokens.size() < kFullAnswerTokens;
        QJsonObject choice{{u"index"_s, i}, {u"finish_reason"_s, length ? u"length"_s : u"stop"_s}};
        if (chat)
            choice.insert(u"message"_s, QJsonObject{{u"role"_s, u"assistant"_s}, {u"content"_s, text}});
        else
            choice.insert(u"text"_s, text);
        if (wantLogprobs) {
            QJsonArray content, legacyTokens, legacyLogprobs, legacyTop, offsets;
            int offset = 0;
            for (qsizetype p = 0; p < tokens.size(); ++p) {
                const QString &token = tokens.at(p);
                // Alternatives: the letters at the first position, numbered fillers elsewhere.
                QStringList alternatives;
                if (top > 0)
                    alternatives.append(token); // the sampled token is always among the top
                for (int a = 0; alternatives.size() < top && a < 30; ++a) {
                    const QString alt =
                        p == 0 ? (a < 5 ? u" "_s + QLatin1Char(char('A' + a)) : u" alt%1"_s.arg(a))
                               : (a == 0 ? token : u" alt%1"_s.arg(a));
                    if (!alternatives.contains(alt))
                        alternatives.append(alt);
                }
                const double chosen = -0.05 + pseudoLogprob(token.toUtf8() + QByteArray::number(p)) / 100.0;
                QJsonArray topArray;
                QJsonObject topObject;
                for (const QString &alt : std::as_const(alternatives)) {
                    const double value =
                        alt == token ? chosen
                                     : pseudoLogprob(alt.toUtf8() + '|' + QByteArray::number(p)) - 0.2;
                    topArray.append(QJsonObject{{u"token"_s, alt}, {u"logprob"_s, value}});
                    topObject.insert(alt, value);
                }
                content.append(QJsonObject{{u"id"_s, int(p)},
                                           {u"token"_s, token},
                                           {u"logprob"_s, chosen},
                                           {u"top_logprobs"_s, topArray}});
                legacyTokens.append(token);
                legacyLogprobs.append(chosen);
                legacyTop.append(topObject);
                offsets.append(offset);
                offset += int(token.size());
            }
            if (contentShape) {
                choice.insert(u"logprobs"_s, QJsonObject{{u"content"_s, content}});
            } else {
                choice.insert(u"logprobs"_s, QJsonObject{{u"tokens"_s, legacyTokens},
                                                         {u"token_logprobs"_s, legacyLogprobs},
                                                         {u"top_logprobs"_s, legacyTop},
                                                         {u"text_offset"_s, offsets}});
            }
        } else if (!chat) {
            choice.insert(u"logprobs"_s, QJsonValue::Null);
        }
        choices.append(choice);
    }
    const qint64 promptTokens = promptKey.split(u' ', Qt::SkipEmptyParts).size();
    const QJsonObject root{{u"id"_s, u"cmpl-%1"_s.arg(request.sequence)},
                           {u"object"_s, chat ? u"chat.completion"_s : u"text_completion"_s},
                           {u"created"_s, 1700000000},
                           {u"model"_s, config.modelId},
                           {u"choices"_s, choices},
                           {u"usage"_s, QJsonObject{{u"prompt_tokens"_s, promptTokens},
                                                    {u"completion_tokens"_s, completionTokens},
                                                    {u"total_tokens"_s, promptTokens + completionTokens}}}};
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

void FakeLlmServerCore::write(QTcpSocket *socket, int status, const QByteArray &contentType,
                              const QByteArray &body,
                              const QList<QPair<QByteArray, QByteArray>> &extraHeaders)
{
    QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) +
                      "\r\nContent-Type: " + contentType +
                      "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    for (const auto &[name, value] : extraHeaders)
        head += name + ": " + value + "\r\n";
    sendNow(socket, head + "\r\n" + body);
    finishExchange(socket);
}

void FakeLlmServerCore::finishExchange(QTcpSocket *socket)
{
    auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    if (it->completion) {
        it->completion = false;
        m_owner->completionClosed();
    }
    if (it->close) {
        socket->disconnectFromHost();
        return;
    }
    it->busy = false;
    if (!it->buffer.isEmpty())
        QTimer::singleShot(0, socket, [this, socket] { onReadyRead(socket); });
}

} // namespace anthology::test
