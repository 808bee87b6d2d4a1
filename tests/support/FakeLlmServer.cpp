#include "FakeLlmServer.h"

#include "FakeLlmServerCore.h"

#ifdef Q_OS_LINUX
#include "util/EpollEventDispatcher.h"
#endif

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QMutexLocker>
#include <QTcpSocket>
#include <QThread>

namespace anthology::test {

using namespace Qt::StringLiterals;

FakeLlmServer::FakeLlmServer(FakeLlmServerConfig config)
    : m_config(std::move(config)), m_keepHistory(m_config.keepHistory)
{
}

FakeLlmServer::~FakeLlmServer()
{
    if (!m_thread)
        return;
    QMetaObject::invokeMethod(
        m_core, [core = m_core] { core->shutdown(); }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
}

bool FakeLlmServer::start(quint16 port, const QHostAddress &address)
{
    if (m_thread)
        return m_port != 0;
    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(u"fake-llm-server"_s);
#ifdef Q_OS_LINUX
    // Up to thousands of client sockets on this one thread (bench/fake_llm_server).
    if (QAbstractEventDispatcher *dispatcher = EpollEventDispatcher::forNewThread())
        m_thread->setEventDispatcher(dispatcher);
#endif
    m_core = new FakeLlmServerCore(this);
    m_core->moveToThread(m_thread.get());
    QObject::connect(m_thread.get(), &QThread::finished, m_core, &QObject::deleteLater);
    m_thread->start();
    quint16 bound = 0;
    QMetaObject::invokeMethod(
        m_core, [&] { bound = m_core->listen(address, port); }, Qt::BlockingQueuedConnection);
    m_port = bound;
    return m_port != 0;
}

QUrl FakeLlmServer::baseUrl() const
{
    return QUrl(u"http://127.0.0.1:%1/v1"_s.arg(m_port));
}

void FakeLlmServer::setConfig(FakeLlmServerConfig config)
{
    QMutexLocker lock(&m_mutex);
    m_config = std::move(config);
    m_keepHistory = m_config.keepHistory;
}

FakeLlmServerConfig FakeLlmServer::config() const
{
    QMutexLocker lock(&m_mutex);
    return m_config;
}

QByteArray FakeLlmServer::lastAuthorization() const
{
    QMutexLocker lock(&m_mutex);
    return m_lastAuthorization;
}

QList<QJsonObject> FakeLlmServer::completionBodies() const
{
    QMutexLocker lock(&m_mutex);
    return m_bodies;
}

void FakeLlmServer::setCompletionGate(int admitted)
{
    m_gate.store(admitted);
    if (m_core)
        QMetaObject::invokeMethod(
            m_core, [core = m_core] { core->releaseHeld(); }, Qt::QueuedConnection);
}

bool FakeLlmServer::admitCompletion()
{
    const int gate = m_gate.load();
    if (gate >= 0 && m_admitted.load() >= gate)
        return false;
    ++m_admitted;
    return true;
}

void FakeLlmServer::record(const FakeRequest &request)
{
    ++m_requests;
    QMutexLocker lock(&m_mutex);
    m_lastAuthorization = request.headers.value("authorization");
    if (request.path.endsWith("completions")) {
        ++m_completions;
        if (m_config.keepHistory)
            m_bodies.append(request.json);
    }
}

void FakeLlmServer::connectionOpened()
{
    const int now = ++m_connections;
    int peak = m_peakConnections.load();
    while (now > peak && !m_peakConnections.compare_exchange_weak(peak, now)) {
    }
}

void FakeLlmServer::connectionClosed()
{
    --m_connections;
}

void FakeLlmServer::completionOpened()
{
    const int now = ++m_openCompletions;
    int peak = m_peakOpenCompletions.load();
    while (now > peak && !m_peakOpenCompletions.compare_exchange_weak(peak, now)) {
    }
}

void FakeLlmServer::completionClosed()
{
    --m_openCompletions;
}

QString FakeLlmServer::answerText(const QString &promptKey, std::optional<qint64> seed, int sampleIndex,
                                  int maxTokens)
{
    return answerTokens(promptKey, seed, sampleIndex, maxTokens).join(QString());
}

QJsonObject FakeLlmServer::fetchStats(quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    QByteArray reply;
    if (socket.waitForConnected(5000)) {
        socket.write("GET /stats HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        while (socket.state() == QAbstractSocket::ConnectedState && socket.waitForReadyRead(5000))
            reply += socket.readAll();
        reply += socket.readAll();
    }
    return QJsonDocument::fromJson(reply.mid(reply.indexOf("\r\n\r\n") + 4)).object();
}

QStringList FakeLlmServer::answerTokens(const QString &promptKey, std::optional<qint64> seed, int sampleIndex,
                                        int maxTokens)
{
    const QByteArray key = promptKey.toUtf8() + '|' + (seed ? QByteArray::number(*seed) : "none"_ba) + '|' +
                           QByteArray::number(sampleIndex);
    const QByteArray digest = QCryptographicHash::hash(key, QCryptographicHash::Sha256);
    const char letter = char('A' + quint8(digest.at(0)) % 5);
    const QStringList tokens{u" "_s + QLatin1Char(letter), u"."_s, u" It"_s, u" fits"_s, u" best"_s, u"."_s};
    return tokens.mid(0, qMax(1, maxTokens));
}

} // namespace anthology::test
