#include "FakeLlmServer.h"

#include "llm/EndpointProbe.h"
#include "llm/EndpointProfile.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

namespace {

QStringList g_warnings;

void collectWarnings(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    if (type != QtDebugMsg && type != QtInfoMsg)
        g_warnings.append(message);
}

// Runs the probe to its end on this thread's event loop (the probe never blocks).
EndpointProbeReport probe(const QUrl &baseUrl, int timeoutMs = 30000, const QString &model = {})
{
    EndpointProbe p;
    QSignalSpy done(&p, &EndpointProbe::finished);
    p.start(EndpointProfile::forUrl(baseUrl, model), timeoutMs);
    if (!done.wait(timeoutMs * 5 + 5000))
        return {};
    return p.report();
}

} // namespace

class TestEndpointProbe : public QObject
{
    Q_OBJECT

private slots:
    void reportsModelsAndFeatures()
    {
        FakeLlmServer server;
        QVERIFY(server.start());
        const EndpointProbeReport r = probe(server.baseUrl());
        QVERIFY2(!r.error, qPrintable(r.error ? r.error->message : QString()));
        QCOMPARE(r.models, QStringList{u"fake-model"_s});
        QCOMPARE(r.model, u"fake-model"_s);
        QVERIFY(r.latencyMs >= 0);
        QVERIFY(r.nAccepted);
        QVERIFY(r.logprobsAccepted);
        QCOMPARE(r.toJson().value(u"n_greater_than_1"_s).toBool(), true);
    }

    void reportsARefusedN()
    {
        FakeLlmServerConfig config;
        config.maxN = 1;
        FakeLlmServer server(config);
        QVERIFY(server.start());
        const EndpointProbeReport r = probe(server.baseUrl());
        QVERIFY(!r.error);
        QVERIFY(!r.nAccepted);
        QVERIFY2(r.nDetail.startsWith(u"HTTP 500"_s), qPrintable(r.nDetail));
        QVERIFY(r.logprobsAccepted);
    }

    void reportsMissingLogprobs()
    {
        FakeLlmServer server(refusingLogprobs());
        QVERIFY(server.start());
        const EndpointProbeReport r = probe(server.baseUrl());
        QVERIFY(!r.error);
        QVERIFY(r.nAccepted);
        QVERIFY(!r.logprobsAccepted);
        QVERIFY2(r.logprobsDetail.startsWith(u"HTTP 400"_s), qPrintable(r.logprobsDetail));
    }

    void namesAClosedPort()
    {
        QTcpServer closed; // bind, read the port, close: nothing listens there afterwards
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const quint16 port = closed.serverPort();
        closed.close();
        const EndpointProbeReport r = probe(QUrl(u"http://127.0.0.1:%1/v1"_s.arg(port)));
        QVERIFY(r.error);
        QVERIFY2(r.error->message.contains(u"127.0.0.1:%1"_s.arg(port)), qPrintable(r.error->message));
        QVERIFY2(r.error->message.contains(u"refused"_s, Qt::CaseInsensitive), qPrintable(r.error->message));
    }

    void timesOutOnASilentListener()
    {
        QTcpServer silent; // accepts (the kernel completes the handshake) and never answers
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        g_warnings.clear();
        const QtMessageHandler previous = qInstallMessageHandler(collectWarnings);
        const EndpointProbeReport r = probe(QUrl(u"http://127.0.0.1:%1/v1"_s.arg(silent.serverPort())), 500);
        qInstallMessageHandler(previous);
        QVERIFY(r.error);
        QCOMPARE(r.error->message, u"cannot list the models of http://127.0.0.1:%1/v1: no response from "
                                   "127.0.0.1:%1 within 500 ms"_s.arg(silent.serverPort()));
        QVERIFY2(g_warnings.isEmpty(), qPrintable(g_warnings.join(u'\n')));
    }

    void givenModelSurvivesAnUnlistedCatalog()
    {
        FakeLlmServerConfig config;
        config.script = [](const FakeRequest &r) -> std::optional<FakeReply> {
            if (r.path.endsWith("/models"))
                return FakeReply{FakeFault::NotFound, 0};
            return std::nullopt;
        };
        FakeLlmServer server(config);
        QVERIFY(server.start());
        const EndpointProbeReport r = probe(server.baseUrl(), 30000, u"fake-model"_s);
        QVERIFY2(!r.error, qPrintable(r.error ? r.error->message : QString()));
        QVERIFY(r.models.isEmpty());
        QCOMPARE(r.model, u"fake-model"_s);
    }

    void cancelStopsWithoutFinishing()
    {
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        EndpointProbe p;
        QSignalSpy done(&p, &EndpointProbe::finished);
        QSignalSpy step(&p, &EndpointProbe::stepStarted);
        p.start(EndpointProfile::forUrl(QUrl(u"http://127.0.0.1:%1/v1"_s.arg(silent.serverPort()))), 60000);
        QVERIFY(p.isRunning());
        QCOMPARE(step.count(), 1);
        p.cancel();
        QVERIFY(!p.isRunning());
        QCOMPARE(done.count(), 0);
    }
};

QTEST_GUILESS_MAIN(TestEndpointProbe)
#include "TestEndpointProbe.moc"
