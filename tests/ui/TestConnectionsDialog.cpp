#include "ConnectionsDialog.h"
#include "FakeLlmServer.h"
#include "MessageBanner.h"
#include "TempProject.h"

#include <QApplication>
#include <QFileInfo>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QTreeWidget>

using namespace anthology;
using namespace anthology::ui;
using namespace anthology::test;
using namespace Qt::StringLiterals;

namespace {

QString plain(const QString &html)
{
    QString text = html;
    text.replace(u"</tr>"_s, u"\n"_s);
    text.remove(QRegularExpression(u"<[^>]*>"_s));
    return text.replace(u"&gt;"_s, u">"_s).replace(u"&lt;"_s, u"<"_s).replace(u"&amp;"_s, u"&"_s);
}

} // namespace

// The Connections dialog with real widgets against loopback servers: what it lists, what a
// test reports, and that an unset key variable is named before anything is sent.
class TestConnectionsDialog : public QObject
{
    Q_OBJECT

    TempProject m_dir;

    QString profile(const QString &name, const QByteArray &yaml)
    {
        return m_dir.writeFile(u"configs/llm_parameters/"_s + name + u".yaml"_s, yaml);
    }

    static QString resultOf(ConnectionsDialog &dialog, const QString &file)
    {
        if (!dialog.selectProfile(file))
            return u"(not listed)"_s;
        QSignalSpy done(&dialog, &ConnectionsDialog::testFinished);
        QTest::mouseClick(dialog.findChild<QPushButton *>(u"testConnection"_s), Qt::LeftButton);
        if (done.isEmpty() && !done.wait(60000))
            return u"(no answer)"_s;
        return plain(dialog.findChild<QLabel *>(u"testResult"_s)->text());
    }

private slots:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(u"anthology-test"_s);
        QCoreApplication::setApplicationName(u"TestConnectionsDialog"_s);
        qunsetenv("ANTHOLOGY_TEST_UNSET_KEY");
    }

    void reportsWhatEachServerAccepts()
    {
        FakeLlmServerConfig oneChoice;
        oneChoice.maxN = 1;
        FakeLlmServer refusesN(oneChoice);
        QVERIFY(refusesN.start());
        FakeLlmServer noLogprobs(refusingLogprobs());
        QVERIFY(noLogprobs.start());
        const QString nFile = profile(u"refuses_n"_s, "base_url: " + refusesN.baseUrl().toEncoded() +
                                                          "\nmodel_name: fake-model\nrequests_per_minute: 600\n");
        const QString lpFile = profile(u"no_logprobs"_s, "base_url: " + noLogprobs.baseUrl().toEncoded() + "\n");

        ConnectionsDialog dialog;
        dialog.setConfigDirs({m_dir.dir() + u"/configs"_s});
        dialog.show();
        auto *list = dialog.findChild<QTreeWidget *>(u"profileList"_s);
        QVERIFY(list->findItems(u"refuses_n"_s, Qt::MatchExactly).size() == 1);
        QVERIFY(list->findItems(u"vllm_localhost"_s, Qt::MatchExactly).size() >= 1); // ours, built in

        QVERIFY(dialog.selectProfile(nFile));
        const QString details = plain(dialog.findChild<QLabel *>(u"profileDetails"_s)->text());
        QVERIFY2(details.contains(refusesN.baseUrl().toString()), qPrintable(details));
        QVERIFY2(details.contains(u"Requests / min600"_s), qPrintable(details));

        const QString n = resultOf(dialog, nFile);
        QVERIFY2(n.contains(u"n > 1not accepted HTTP 500"_s), qPrintable(n));
        QVERIFY2(n.contains(u"Logprobsaccepted"_s), qPrintable(n));
        QVERIFY2(n.contains(u"fake-model"_s), qPrintable(n));

        const QString lp = resultOf(dialog, lpFile);
        QVERIFY2(lp.contains(u"n > 1accepted"_s), qPrintable(lp));
        QVERIFY2(lp.contains(u"Logprobsnot accepted HTTP 400"_s), qPrintable(lp));
        QCOMPARE(dialog.findChild<MessageBanner *>()->level(), MessageBanner::Level::Positive);
    }

    void namesAnUnsetKeyVariable()
    {
        FakeLlmServer server;
        QVERIFY(server.start());
        const QString file = profile(u"needs_key"_s, "base_url: " + server.baseUrl().toEncoded() +
                                                         "\napi_key_env: ANTHOLOGY_TEST_UNSET_KEY\n");
        ConnectionsDialog dialog;
        dialog.setConfigDirs({m_dir.dir() + u"/configs"_s});
        QVERIFY(dialog.selectProfile(file));
        QVERIFY(plain(dialog.findChild<QLabel *>(u"profileDetails"_s)->text())
                    .contains(u"ANTHOLOGY_TEST_UNSET_KEY (not set)"_s));
        resultOf(dialog, file);
        auto *banner = dialog.findChild<MessageBanner *>();
        QCOMPARE(banner->level(), MessageBanner::Level::Error);
        QVERIFY2(banner->text().contains(u"set the environment variable ANTHOLOGY_TEST_UNSET_KEY"_s),
                 qPrintable(banner->text()));
        QCOMPARE(server.requestCount(), 0);

        // Set, the key is sent and never shown: the dialog names only the variable.
        qputenv("ANTHOLOGY_TEST_UNSET_KEY", "k-secret-42");
        dialog.setConfigDirs({m_dir.dir() + u"/configs"_s});
        QVERIFY(dialog.selectProfile(file));
        const QString result = resultOf(dialog, file);
        qunsetenv("ANTHOLOGY_TEST_UNSET_KEY");
        QVERIFY2(result.contains(u"Logprobsaccepted"_s), qPrintable(result));
        QCOMPARE(server.lastAuthorization(), "Bearer k-secret-42"_ba);
        const QString details = dialog.findChild<QLabel *>(u"profileDetails"_s)->text();
        QVERIFY(details.contains(u"ANTHOLOGY_TEST_UNSET_KEY (set)"_s));
        QVERIFY(!details.contains(u"k-secret-42"_s) && !result.contains(u"k-secret-42"_s));
    }

    void savesAProfileWithTheProject()
    {
        FakeLlmServer server;
        QVERIFY(server.start());
        const QString file = profile(u"to_keep"_s, "base_url: " + server.baseUrl().toEncoded() + "\n");
        const QString projectDir = m_dir.dir() + u"/study-configs"_s;
        ConnectionsDialog dialog;
        dialog.setConfigDirs({m_dir.dir() + u"/configs"_s});
        dialog.setProjectConfigDir(projectDir);
        QVERIFY(dialog.selectProfile(file));
        QTest::mouseClick(dialog.findChild<QPushButton *>(u"saveToProject"_s), Qt::LeftButton);
        const QString saved = projectDir + u"/llm_parameters/to_keep.yaml"_s;
        QVERIFY(QFileInfo::exists(saved));
        QCOMPARE(dialog.currentProfile()->file, saved);
        auto *list = dialog.findChild<QTreeWidget *>(u"profileList"_s);
        QCOMPARE(list->currentItem()->text(1), u"project"_s);
        QVERIFY(!dialog.findChild<QPushButton *>(u"saveToProject"_s)->isEnabled()); // already the project's
        const QString result = resultOf(dialog, saved);
        QVERIFY2(result.contains(u"Logprobsaccepted"_s), qPrintable(result));
    }

    void namesAClosedPort()
    {
        QString url;
        {
            FakeLlmServer gone; // its port is closed once it is gone
            QVERIFY(gone.start());
            url = gone.baseUrl().toString();
        }
        const QString file = profile(u"closed"_s, "base_url: " + url.toUtf8() + "\n");
        ConnectionsDialog dialog;
        dialog.setConfigDirs({m_dir.dir() + u"/configs"_s});
        resultOf(dialog, file);
        auto *banner = dialog.findChild<MessageBanner *>();
        QCOMPARE(banner->level(), MessageBanner::Level::Error);
        QVERIFY2(banner->text().contains(u"cannot list the models of "_s + url), qPrintable(banner->text()));
    }
};

QTEST_MAIN(TestConnectionsDialog)
#include "TestConnectionsDialog.moc"
