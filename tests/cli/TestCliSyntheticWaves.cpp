#include "CliRunner.h"
#include "FakeLlmServer.h"
#include "ScriptedPersonas.h"
#include "TempProject.h"
#include "core/RunFixture.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

// `anthology data synthetic --wave N` writes that wave's demographic names and codes, so the
// file imports and `anthology study` runs on it with nothing but the data set and the
// questions: no atp_variable or category-map keys, for the 2018 layout (W34) and the newer one.
class TestCliSyntheticWaves : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;
    std::unique_ptr<FakeLlmServer> m_server;

private Q_SLOTS:
    void initTestCase()
    {
        FakeLlmServerConfig config;
        config.answer = scriptedPersonas();
        m_server = std::make_unique<FakeLlmServer>(config);
        QVERIFY(m_server->start());
    }

    void aStudyRunsOnEachWave_data()
    {
        QTest::addColumn<int>("wave");
        QTest::addColumn<QString>("income");
        QTest::newRow("w34") << 34 << u"F_INCOME"_s;
        QTest::newRow("w92") << 92 << u"F_INC_SDT1"_s;
        QTest::newRow("w99") << 99 << u"F_INC_SDT1"_s;
    }

    void aStudyRunsOnEachWave()
    {
        QFETCH(int, wave);
        QFETCH(QString, income);
        const QString file = m_dir.path(u"w%1.sav"_s.arg(wave));
        CliResult r = runCli({u"data"_s, u"synthetic"_s, file, u"--wave"_s, QString::number(wave),
                              u"--respondents"_s, u"40"_s, u"--items"_s, u"2"_s, u"--json"_s});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QStringList demographics = [&]() {
            QStringList names;
            for (const QJsonValue &v : r.json().object().value(u"demographics"_s).toArray())
                names.append(v.toString());
            return names;
        }();
        QVERIFY2(demographics.contains(income), qPrintable(demographics.join(u' ')));

        auto project = projectWithPersonas(m_dir, u"w%1.anthology"_s.arg(wave), 40);
        QVERIFY(project);
        const QString path = project->path();
        project.reset();
        r = runCli(
            {u"data"_s, u"import"_s, file, u"--name"_s, u"humans"_s, u"--project"_s, path, u"--json"_s});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.json().object().value(u"wave"_s).toInt(), wave);

        r = runCli({u"study"_s, u"dataset=humans"_s, u"questions=[SYNQ1_W%1]"_s.arg(wave),
                    u"llm_parameters.api_provider="_s + m_server->baseUrl().toString(),
                    u"llm_parameters.model_name=fake-model"_s, u"num_sample_response=2"_s,
                    u"include_compliance_forcing=false"_s, u"--project"_s, path, u"--quiet"_s, u"--json"_s,
                    u"--in-flight"_s, u"16"_s},
                   {}, QProcessEnvironment::systemEnvironment(), 600000);
        QVERIFY2(r.exitCode == 0, QByteArray(r.err + r.out).constData());
        QCOMPARE(r.json().object().value(u"runs"_s).toObject().size(), 11);
        // The matched runs used every trait: the match stored one pair per respondent.
        const QJsonArray rows = r.json().object().value(u"overall"_s).toObject().value(u"rows"_s).toArray();
        QCOMPARE(rows.size(), 12);
    }
};

QTEST_GUILESS_MAIN(TestCliSyntheticWaves)
#include "TestCliSyntheticWaves.moc"
