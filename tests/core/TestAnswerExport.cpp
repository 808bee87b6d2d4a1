#include "FakeLlmServer.h"
#include "OracleProcess.h"
#include "RunFixture.h"
#include "TempProject.h"
#include "support/PsppOracle.h"

#include "analysis/ModelAnswers.h"
#include "data/DatasetReader.h"
#include "export/AnswerCsvExporter.h"
#include "export/AnswerJsonlExporter.h"
#include "export/AnswerSavExporter.h"
#include "llm/EndpointProfile.h"
#include "project/ProjectFile.h"
#include "project/Transaction.h"
#include "run/RunAnswers.h"
#include "run/RunEngine.h"
#include "run/RunPlanner.h"
#include "run/RunStore.h"
#include "run/SurveyPlan.h"
#include "util/CsvWriter.h"

#include <QBuffer>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

namespace {

// Strings that break naive CSV writers and SPSS names.
const QString commaPersona = u"p,1"_s;
const QString quotePersona = u"p\"2"_s;
const QString plainPersona = u"p3"_s;
const QString nastyAnswer = u"line one\nline \"two\", three\r\nand ünïcödé"_s;

Questionnaire nastyQuestionnaire()
{
    Questionnaire q;
    q.wave = 99;
    Question a;
    a.id = u"Q1_W99"_s;
    a.body = u"How often, if ever, do you \"garden\"?"_s;
    a.choices = {u"Often"_s, u"Sometimes, when it's sunny"_s, u"Never"_s};
    Question b;
    b.id = u"Q2 W99"_s; // not a valid SPSS name
    b.body = u"Wie oft gehen Sie spazieren? (ünïcödé)"_s;
    b.choices = {u"Daily"_s, u"Weekly"_s, u"Rarely"_s, u"Never"_s};
    Question c;
    c.id = u"3Q"_s; // starts with a digit
    c.body = u"Third question"_s;
    c.choices = {u"Yes"_s, u"No"_s, u"Not sure"_s};
    q.questions = {a, b, c};
    return q;
}

ItemResult answered(qint64 id, const QString &raw, int option, const QStringList &choices)
{
    ItemResult r;
    r.itemId = id;
    r.ok = true;
    r.request = "{\"prompt\":\"Q\",\"id\":" + QByteArray::number(id) + '}';
    r.response = "{\"choices\":[{\"text\":\"x\"}],\"id\":" + QByteArray::number(id) + '}';
    r.rawAnswer = raw;
    r.compliant = option >= 0;
    r.option = option;
    r.parsedAnswer = option >= 0 ? choices.value(option) : QString();
    r.attempts = 1;
    r.latencyMs = 12;
    r.promptTokens = 30;
    r.completionTokens = 5;
    r.cost = 0.00125;
    return r;
}

} // namespace

// The run exports (CSV long and wide, JSONL, SPSS .sav) read back by independent readers:
// Python's csv module, our DatasetReader and GNU PSPP; and a real run's exports never carry the
// API key it was sent with.
class TestAnswerExport : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;
    std::unique_ptr<ProjectFile> m_project;
    qint64 m_run = 0;
    qint64 m_items = 0;

    // Python's csv module as the reader: a list of dicts, one per row.
    static QJsonArray pythonCsv(const QString &path)
    {
        const oracle::Outcome o =
            oracle::python("import csv, json, sys\n"
                           "with open(sys.stdin.read(), newline='', encoding='utf-8') as f:\n"
                           "    print(json.dumps(list(csv.DictReader(f))))\n",
                           path.toUtf8());
        if (!o.ok)
            qWarning("python: %s", o.err.constData());
        return QJsonDocument::fromJson(o.out).array();
    }

    static QJsonObject rowOf(const QJsonArray &rows, const QString &persona, const QString &question,
                             int sample = 0)
    {
        for (const QJsonValue &v : rows) {
            const QJsonObject o = v.toObject();
            if (o.value(u"persona"_s).toString() == persona &&
                o.value(u"question"_s).toString() == question &&
                o.value(u"sample"_s).toString() == QString::number(sample))
                return o;
        }
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto p = ProjectFile::create(m_dir.path(u"export.anthology"_s));
        QVERIFY(p);
        m_project = std::move(*p);
        RunStore store(*m_project);
        SurveyPlan plan;
        plan.name = u"nasty, \"quoted\" run"_s;
        plan.questionnaire = nastyQuestionnaire();
        plan.llm.apiProvider = u"http://127.0.0.1:9/v1"_s;
        plan.llm.modelName = u"m"_s;
        RunInfo info;
        info.name = plan.name;
        info.config = QString::fromUtf8(QJsonDocument(plan.toJson()).toJson());
        info.programVersion = u"test"_s;
        Result<qint64> run = store.createRun(info);
        QVERIFY(run);
        m_run = *run;

        // Plan 3 personas x 3 questions, sample 0.
        QHash<QString, qint64> ids;
        {
            Transaction tx(m_project->handle());
            int position = 0;
            for (const QString &persona : {commaPersona, quotePersona, plainPersona}) {
                position = 0;
                for (const Question &q : plan.questionnaire.questions) {
                    PlannedItem item;
                    item.persona = persona;
                    item.question = q.id;
                    item.position = position++;
                    Result<qint64> id = store.insertItem(m_run, item);
                    QVERIFY(id);
                    ids.insert(persona + u'|' + q.id, *id);
                }
            }
            QVERIFY(tx.commit());
        }
        const QList<Question> &qs = plan.questionnaire.questions;
        const auto id = [&ids](const QString &persona, const QString &q) {
            return ids.value(persona + u'|' + q);
        };
        ItemResult withLogprobs = answered(id(quotePersona, qs[0].id), u" (B)"_s, 1, qs[0].choices);
        withLogprobs.distribution =
            R"({"position":0,"probabilities":[0.25,0.625,0.125],"recognized_mass":1,"unassigned_mass":0})"_ba;
        ItemResult nonCompliantThenReasked =
            answered(id(commaPersona, qs[1].id), u"I'd rather not"_s, -1, {});
        nonCompliantThenReasked.wantReask = true;
        ItemResult failed;
        failed.itemId = id(commaPersona, qs[2].id);
        failed.error = u"HTTP 500: \"boom\", again"_s;
        failed.attempts = 3;
        failed.request = "{\"prompt\": broken"_ba; // not JSON: exported as a string
        QList<ItemResult> batch{answered(id(commaPersona, qs[0].id), nastyAnswer, 0, qs[0].choices),
                                nonCompliantThenReasked,
                                failed,
                                withLogprobs,
                                answered(id(quotePersona, qs[1].id), u"no idea"_s, -1, {}),
                                answered(id(plainPersona, qs[0].id), u"A"_s, 0, qs[0].choices),
                                answered(id(plainPersona, qs[1].id), u"B"_s, 1, qs[1].choices),
                                answered(id(plainPersona, qs[2].id), u"C"_s, 2, qs[2].choices)};
        QVERIFY(store.commit(m_run, batch, {{0, {}}, {1, "{\"prompt\":\"again\"}"_ba}})); // parallel to batch
        const qint64 reaskId = batch[1].reaskId;
        QVERIFY(reaskId > 0);
        QList<ItemResult> reask{answered(reaskId, u"(D)"_s, 3, qs[1].choices)};
        QVERIFY(store.commit(m_run, reask));
        m_items = store.items(m_run)->size();
        QCOMPARE(m_items, 10); // 9 planned + 1 re-ask; (quotePersona, 3Q) stays pending
    }

    void csvFieldsQuoteWhatNeedsIt_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QByteArray>("field");
        QTest::newRow("plain") << u"abc"_s << "abc"_ba;
        QTest::newRow("empty") << QString() << QByteArray();
        QTest::newRow("comma") << u"a,b"_s << "\"a,b\""_ba;
        QTest::newRow("quote") << u"say \"hi\""_s << "\"say \"\"hi\"\"\""_ba;
        QTest::newRow("newline") << u"a\nb"_s << "\"a\nb\""_ba;
        QTest::newRow("carriage return") << u"a\rb"_s << "\"a\rb\""_ba;
        QTest::newRow("leading blank") << u" a"_s << "\" a\""_ba;
        QTest::newRow("utf-8") << u"ünï"_s << "\xc3\xbcn\xc3\xaf"_ba;
    }

    void csvFieldsQuoteWhatNeedsIt()
    {
        QFETCH(QString, text);
        QFETCH(QByteArray, field);
        QCOMPARE(CsvWriter::field(text), field);
    }

    void csvRowsJoinQuotedFieldsAndEndInCrlf()
    {
        QCOMPARE(CsvWriter::row(QStringList{u"a"_s, u" b"_s, u"c,d"_s, QString()}), "a,\" b\",\"c,d\",\r\n"_ba);
        QCOMPARE(CsvWriter::row(QByteArrayList{"1", "x\"y", "tab\t"}), "1,\"x\"\"y\",\"tab\t\"\r\n"_ba);
        QCOMPARE(CsvWriter::row(QStringList()), "\r\n"_ba);
        QBuffer buffer;
        QVERIFY(buffer.open(QIODevice::WriteOnly));
        CsvWriter csv(buffer);
        QVERIFY(csv.writeRow({u"p,1"_s, u"a\r\nb"_s}));
        QCOMPARE(buffer.data(), "\"p,1\",\"a\r\nb\"\r\n"_ba);
    }

    // `run answers` writes the same dialect: the personas with a comma and a quote come back
    // whole through Python's csv and through our own reader (`analyze --answers`).
    void runAnswersCsvReadsBackWhole()
    {
        Result<QByteArray> csv = RunAnswers::toCsv(*m_project, m_run);
        QVERIFY2(csv, csv ? "" : qPrintable(csv.error().toString()));
        QVERIFY(csv->startsWith("persona,question,option\r\n"));
        QVERIFY(csv->endsWith("\r\n"));
        const QString path = m_dir.dir() + u"/run-answers.csv"_s;
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly) && file.write(*csv) == csv->size());
        file.close();
        Result<ModelAnswers> stored = RunAnswers::load(*m_project, m_run);
        QVERIFY(stored);
        Result<ModelAnswers> read = ModelAnswers::readCsv(path);
        QVERIFY2(read, read ? "" : qPrintable(read.error().toString()));
        QCOMPARE(read->personas(), stored->personas());
        QVERIFY(read->personas().contains(commaPersona));
        QVERIFY(read->personas().contains(quotePersona));
        QCOMPARE(read->questions(), stored->questions());
        const QJsonArray parsed = pythonCsv(path);
        QCOMPARE(parsed.size(), csv->count("\r\n") - 1);
        for (const QJsonValue &v : parsed)
            QVERIFY(stored->personas().contains(v.toObject().value(u"persona"_s).toString()));
        for (qsizetype p = 0; p < stored->personas().size(); ++p)
            for (qsizetype q = 0; q < stored->questions().size(); ++q)
                QCOMPARE(read->option(p, q), stored->option(p, q));
    }

    void longCsvHasOneRowPerItemAndSurvivesPython()
    {
        const QString path = m_dir.dir() + u"/long.csv"_s;
        Result<qint64> rows = AnswerCsvExporter::writeLong(*m_project, m_run, path);
        QVERIFY2(rows, rows ? "" : qPrintable(rows.error().toString()));
        QCOMPARE(*rows, m_items);
        const QJsonArray parsed = pythonCsv(path);
        QCOMPARE(parsed.size(), m_items);

        const QJsonObject first = rowOf(parsed, commaPersona, u"Q1_W99"_s);
        QCOMPARE(first.value(u"raw_answer"_s).toString(), nastyAnswer);
        QCOMPARE(first.value(u"option"_s).toString(), u"1"_s);
        QCOMPARE(first.value(u"label"_s).toString(), u"Often"_s);
        QCOMPARE(first.value(u"compliant"_s).toString(), u"1"_s);
        QCOMPARE(first.value(u"state"_s).toString(), u"done"_s);
        QCOMPARE(first.value(u"run"_s).toString(), QString::number(m_run));
        QCOMPARE(first.value(u"cost"_s).toString().toDouble(), 0.00125);

        const QJsonObject refused = rowOf(parsed, commaPersona, u"Q2 W99"_s);
        QCOMPARE(refused.value(u"option"_s).toString(), QString());
        QCOMPARE(refused.value(u"compliant"_s).toString(), u"0"_s);
        const QJsonObject reask = rowOf(parsed, commaPersona, u"Q2 W99"_s, 1);
        QCOMPARE(reask.value(u"reask"_s).toString(), u"1"_s);
        QCOMPARE(reask.value(u"base_sample"_s).toString(), u"0"_s);
        QCOMPARE(reask.value(u"option"_s).toString(), u"4"_s);
        QCOMPARE(reask.value(u"label"_s).toString(), u"Never"_s);

        const QJsonObject failed = rowOf(parsed, commaPersona, u"3Q"_s);
        QCOMPARE(failed.value(u"state"_s).toString(), u"failed"_s);
        QCOMPARE(failed.value(u"error"_s).toString(), u"HTTP 500: \"boom\", again"_s);
        QCOMPARE(failed.value(u"attempts"_s).toString(), u"3"_s);

        const QJsonObject pending = rowOf(parsed, quotePersona, u"3Q"_s);
        QCOMPARE(pending.value(u"state"_s).toString(), u"pending"_s);
        QCOMPARE(pending.value(u"compliant"_s).toString(), QString());

        const QJsonObject logprobs = rowOf(parsed, quotePersona, u"Q1_W99"_s);
        QCOMPARE(logprobs.value(u"p_1"_s).toString(), u"0.25"_s);
        QCOMPARE(logprobs.value(u"p_2"_s).toString(), u"0.625"_s);
        QCOMPARE(logprobs.value(u"p_4"_s).toString(), QString()); // K = 3 here, 4 for Q2
        QVERIFY(logprobs.value(u"logprobs"_s).toString().contains(u"recognized_mass"_s));
    }

    void wideCsvHoldsTheFinalOptionPerQuestion()
    {
        const QString path = m_dir.dir() + u"/wide.csv"_s;
        Result<qint64> rows = AnswerCsvExporter::writeWide(*m_project, m_run, path);
        QVERIFY2(rows, rows ? "" : qPrintable(rows.error().toString()));
        QCOMPARE(*rows, 3);
        const QJsonArray parsed = pythonCsv(path);
        QCOMPARE(parsed.size(), 3);
        QHash<QString, QJsonObject> byPersona;
        for (const QJsonValue &v : parsed)
            byPersona.insert(v[u"persona"_s].toString(), v.toObject());
        // The re-ask's answer wins; a failed or pending item is empty; non-compliant is 99.
        const QJsonObject a = byPersona.value(commaPersona);
        QCOMPARE(a.value(u"Q1_W99"_s).toString(), u"1"_s);
        QCOMPARE(a.value(u"Q2 W99"_s).toString(), u"4"_s);
        QCOMPARE(a.value(u"3Q"_s).toString(), QString());
        const QJsonObject b = byPersona.value(quotePersona);
        QCOMPARE(b.value(u"Q1_W99"_s).toString(), u"2"_s);
        QCOMPARE(b.value(u"Q2 W99"_s).toString(), u"99"_s);
        QCOMPARE(b.value(u"3Q"_s).toString(), QString());
        const QJsonObject c = byPersona.value(plainPersona);
        QCOMPARE(c.value(u"sample"_s).toString(), u"0"_s);
        QCOMPARE(c.value(u"Q1_W99"_s).toString(), u"1"_s);
        QCOMPARE(c.value(u"Q2 W99"_s).toString(), u"2"_s);
        QCOMPARE(c.value(u"3Q"_s).toString(), u"3"_s);

        // An absent sample gives a header and no rows.
        AnswerExportOptions options;
        options.sample = 5;
        QCOMPARE(*AnswerCsvExporter::writeWide(*m_project, m_run, path, options), 0);
        QCOMPARE(pythonCsv(path).size(), 0);
    }

    void jsonlCarriesRequestAndResponse()
    {
        const QString path = m_dir.dir() + u"/answers.jsonl"_s;
        Result<qint64> lines = AnswerJsonlExporter::writeAnswers(*m_project, m_run, path);
        QVERIFY(lines);
        QCOMPARE(*lines, m_items);
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> rows = f.readAll().split('\n');
        QCOMPARE(rows.size(), m_items + 1);
        QVERIFY(rows.last().isEmpty());
        int withRequest = 0;
        bool sawNasty = false;
        for (qsizetype i = 0; i + 1 < rows.size(); ++i) {
            QJsonParseError error;
            const QJsonObject o = QJsonDocument::fromJson(rows[i], &error).object();
            QCOMPARE(error.error, QJsonParseError::NoError);
            if (o.value(u"request"_s).isObject()) {
                ++withRequest;
                if (o.value(u"state"_s).toString() == u"done"_s)
                    QCOMPARE(o[u"response"_s][u"id"_s].toInteger(), o[u"item"_s].toInteger());
            }
            if (o.value(u"state"_s).toString() == u"failed"_s)
                QCOMPARE(o.value(u"request"_s).toString(), u"{\"prompt\": broken"_s);
            if (o.value(u"raw_answer"_s).toString() == nastyAnswer) {
                sawNasty = true;
                QCOMPARE(o.value(u"option"_s).toInt(), 1);
                QCOMPARE(o.value(u"compliant"_s).toBool(), true);
            }
            if (o.value(u"persona"_s).toString() == quotePersona &&
                o.value(u"question"_s).toString() == u"Q2 W99"_s) {
                QVERIFY(o.value(u"option"_s).isNull());
                QCOMPARE(o.value(u"compliant"_s).toBool(true), false);
            }
            if (o.value(u"persona"_s).toString() == quotePersona &&
                o.value(u"question"_s).toString() == u"Q1_W99"_s)
                QCOMPARE(o[u"logprobs"_s][u"probabilities"_s].toArray().size(), 3);
        }
        QVERIFY(sawNasty);
        QCOMPARE(withRequest, 8); // every answered item and the re-ask; not the failed or pending ones

        const QString requests = m_dir.dir() + u"/requests.jsonl"_s;
        QCOMPARE(*AnswerJsonlExporter::writeRequests(*m_project, m_run, requests), m_items);
        QFile r(requests);
        QVERIFY(r.open(QIODevice::ReadOnly));
        const QJsonObject firstRequest = QJsonDocument::fromJson(r.readLine()).object();
        QVERIFY(firstRequest.contains(u"request"_s));
        QVERIFY(!firstRequest.contains(u"raw_answer"_s));
    }

    void spssNamesAreValid_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("name");
        QTest::newRow("atp id") << u"FUD37A_W34"_s << u"FUD37A_W34"_s;
        QTest::newRow("space") << u"Q2 W99"_s << u"Q2_W99"_s;
        QTest::newRow("digit first") << u"3Q"_s << u"Q3Q"_s;
        QTest::newRow("reserved") << u"and"_s << u"and_"_s;
        QTest::newRow("trailing dot") << u"Q1."_s << u"Q1_"_s;
        QTest::newRow("punctuation") << u"a-b/c"_s << u"a_b_c"_s;
        QTest::newRow("too long") << QString(80, u'x') << QString(64, u'x');
    }

    void spssNamesAreValid()
    {
        QFETCH(QString, id);
        QFETCH(QString, name);
        QCOMPARE(AnswerSavExporter::spssName(id), name);
    }

    void savReadsBackThroughOurReader()
    {
        const QString path = m_dir.dir() + u"/answers.sav"_s;
        Result<qint64> cases = AnswerSavExporter::write(*m_project, m_run, path);
        QVERIFY2(cases, cases ? "" : qPrintable(cases.error().toString()));
        QCOMPARE(*cases, 3);
        Result<Dataset> ds = DatasetReader::read(path);
        QVERIFY2(ds, ds ? "" : qPrintable(ds.error().toString()));
        QCOMPARE(ds->rowCount(), 3);
        QCOMPARE(ds->variableNames(), (QStringList{u"persona"_s, u"Q1_W99"_s, u"Q2_W99"_s, u"Q3Q"_s}));
        QVERIFY(ds->fileLabel().contains(u"run %1"_s.arg(m_run)));
        const Variable &q1 = ds->variable(1);
        QCOMPARE(q1.label, u"How often, if ever, do you \"garden\"?"_s);
        QCOMPARE(q1.labelFor(2), u"Sometimes, when it's sunny"_s);
        QCOMPARE(q1.labelFor(99), u"Non-compliant"_s);
        QVERIFY(q1.isUserMissing(99));
        QCOMPARE(ds->variable(2).label, u"Q2 W99: Wie oft gehen Sie spazieren? (ünïcödé)"_s);
        QCOMPARE(ds->variable(2).labelFor(4), u"Never"_s);

        const QStringList personas = ds->stringColumn(0);
        const qsizetype a = personas.indexOf(commaPersona);
        const qsizetype b = personas.indexOf(quotePersona);
        const qsizetype c = personas.indexOf(plainPersona);
        QVERIFY(a >= 0 && b >= 0 && c >= 0);
        const auto value = [&](qsizetype row, int column) { return ds->numericColumn(column)[size_t(row)]; };
        QCOMPARE(value(a, 1), 1.0);
        QCOMPARE(value(a, 2), 4.0);
        QVERIFY(std::isnan(value(a, 3))); // failed: not asked
        QCOMPARE(value(b, 1), 2.0);
        QCOMPARE(value(b, 2), 99.0);      // non-compliant
        QVERIFY(std::isnan(value(b, 3))); // pending
        QCOMPARE(value(c, 3), 3.0);
    }

    void savOpensInPspp()
    {
        if (!PsppOracle::available())
            QSKIP("pspp is not installed (Debian package pspp)");
        const QString path = m_dir.dir() + u"/pspp.sav"_s;
        QVERIFY(AnswerSavExporter::write(*m_project, m_run, path));
        Result<Dataset> ours = AnswerSavExporter::dataset(*m_project, m_run);
        QVERIFY(ours);
        const QString open = u"GET FILE='%1'."_s.arg(path);
        PsppDictionary dictionary;
        QString error;
        QVERIFY2(PsppOracle::dictionary(open, m_dir.dir(), &dictionary, &error), qPrintable(error));
        QString mismatch = PsppOracle::dictionaryMismatch(*ours, dictionary);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
        QList<QStringList> rows;
        QVERIFY2(PsppOracle::data(open, m_dir.dir(), &rows, &error), qPrintable(error));
        mismatch = PsppOracle::dataMismatch(*ours, rows);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
        // PSPP itself counts 99 as missing: the valid N of Q2_W99 is 2 of 3 cases.
        QString out;
        QVERIFY2(PsppOracle::run(open + u"\nDESCRIPTIVES VARIABLES=Q2_W99 /STATISTICS=MEAN.\n"_s, m_dir.dir(),
                                 &out, &error),
                 qPrintable(error));
        QVERIFY2(out.contains(u"Q2_W99"_s) || out.contains(u"Wie oft"_s), qPrintable(out));
        QVERIFY2(out.contains(u"),2,3.00"_s), qPrintable(out)); // N 2, the mean of 4 and 2
    }

    void aRealRunNeverExportsItsApiKey()
    {
        const QByteArray key = "sk-export-test-5f1b9c0e7d2a";
        qputenv("ANTHOLOGY_EXPORT_TEST_KEY", key);
        FakeLlmServerConfig config;
        config.requiredApiKey = key;
        FakeLlmServer server(config);
        QVERIFY(server.start());
        auto p = projectWithPersonas(m_dir, u"keyed.anthology"_s, 3);
        QVERIFY(p);
        const QString projectPath = p->path();
        SurveyPlan plan = surveyPlan(server.baseUrl(), 2, true);
        plan.llm.apiKeyEnv = u"ANTHOLOGY_EXPORT_TEST_KEY"_s;
        Result<qint64> runId = RunPlanner::plan(*p, plan);
        QVERIFY(runId);
        EndpointProfile profile = *EndpointProfile::fromParameters(plan.llm);
        RunEngineOptions options;
        options.inFlight = 4;
        options.client.workerThreads = 1;
        {
            RunEngine engine(std::move(p), *runId, profile, options);
            QSignalSpy finished(&engine, &RunEngine::finished);
            QVERIFY(engine.start());
            QVERIFY(!finished.isEmpty() || finished.wait(30000));
            QCOMPARE(finished.first().first().toString(), u"completed"_s);
        }
        QCOMPARE(server.lastAuthorization(), "Bearer " + key); // the key did travel
        auto read = ProjectFile::open(projectPath, ProjectFile::Mode::ReadOnly);
        QVERIFY(read);
        const QString base = m_dir.dir() + u"/keyed"_s;
        QVERIFY(AnswerCsvExporter::writeLong(**read, *runId, base + u".csv"_s));
        QVERIFY(AnswerCsvExporter::writeWide(**read, *runId, base + u"-wide.csv"_s));
        QVERIFY(AnswerJsonlExporter::writeAnswers(**read, *runId, base + u".jsonl"_s));
        QVERIFY(AnswerJsonlExporter::writeRequests(**read, *runId, base + u"-requests.jsonl"_s));
        QVERIFY(AnswerSavExporter::write(**read, *runId, base + u".sav"_s));
        qsizetype totalBytes = 0;
        for (const QString &suffix :
             {u".csv"_s, u"-wide.csv"_s, u".jsonl"_s, u"-requests.jsonl"_s, u".sav"_s}) {
            QFile f(base + suffix);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray bytes = f.readAll();
            totalBytes += bytes.size();
            QVERIFY2(!bytes.contains(key) && !bytes.contains(key.mid(3)), qPrintable(suffix));
        }
        QVERIFY(totalBytes > 1000);
        qunsetenv("ANTHOLOGY_EXPORT_TEST_KEY");
    }
};

QTEST_GUILESS_MAIN(TestAnswerExport)
#include "TestAnswerExport.moc"
