#include "RunFixture.h"
#include "TempProject.h"

#include "llm/LlmRequest.h"
#include "llm/LlmResponse.h"
#include "project/ProjectFile.h"
#include "project/Statement.h"
#include "project/Transaction.h"
#include "run/RequestCodec.h"
#include "run/RunStore.h"

#include <QTest>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

// The run tables: one row per (run, persona, question, sample), states pending/done/failed
// only, commits that apply once, and the request cache.
class TestRunStore : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;
    int m_files = 0;

    std::unique_ptr<ProjectFile> newProject()
    {
        auto p = ProjectFile::create(m_dir.path(u"store%1.anthology"_s.arg(++m_files)));
        return p ? std::move(*p) : nullptr;
    }

    static qint64 scalar(ProjectFile &p, const char *sql)
    {
        Statement s = p.prepare(sql);
        Result<bool> row = s.step();
        return row && *row ? s.columnInt64(0) : -1;
    }

    static qint64 planItems(RunStore &store, qint64 runId, int count)
    {
        Transaction tx(store.project().handle());
        qint64 first = 0;
        for (int i = 0; i < count; ++i) {
            PlannedItem item;
            item.persona = personaUid(i);
            item.question = u"Q1"_s;
            Result<qint64> id = store.insertItem(runId, item);
            if (!id)
                return -1;
            if (i == 0)
                first = *id;
        }
        return tx.commit() ? first : -1;
    }

    static ItemResult answer(qint64 id, const QString &text)
    {
        ItemResult r;
        r.itemId = id;
        r.ok = true;
        r.request = "{\"prompt\":\"x\"}";
        r.response = "{\"choices\":[]}";
        r.rawAnswer = text;
        r.compliant = true;
        r.option = 1;
        r.parsedAnswer = u"Rarely"_s;
        r.attempts = 1;
        r.promptTokens = 10;
        r.completionTokens = 2;
        return r;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void newProjectsHaveTheRunTables()
    {
        auto p = newProject();
        QVERIFY(p);
        QVERIFY(p->schemaVersion() >= 2);
        QCOMPARE(
            scalar(*p, "SELECT count(*) FROM sqlite_schema WHERE name IN ('runs', 'items', 'request_cache')"),
            3);
    }

    void theItemKeyIsUnique()
    {
        auto p = newProject();
        RunStore store(*p);
        Result<qint64> run = store.createRun(RunInfo{});
        QVERIFY2(run, run ? "" : qPrintable(run.error().toString()));
        PlannedItem item;
        item.persona = u"p"_s;
        item.question = u"Q1"_s;
        item.sample = 3;
        QVERIFY(store.insertItem(*run, item));
        Result<qint64> again = store.insertItem(*run, item);
        QVERIFY(!again);
        QVERIFY2(again.error().message.contains(u"UNIQUE"_s, Qt::CaseInsensitive),
                 qPrintable(again.error().message));
        item.sample = 4;
        QVERIFY(store.insertItem(*run, item));
    }

    void aCommitAppliesOnce()
    {
        auto p = newProject();
        RunStore store(*p);
        const qint64 run = *store.createRun(RunInfo{});
        const qint64 first = planItems(store, run, 3);
        QVERIFY(first > 0);
        QList<ItemResult> batch{answer(first, u" B."_s)};
        QVERIFY(store.commit(run, batch));
        QList<ItemResult> duplicate{answer(first, u" C."_s)};
        QVERIFY(store.commit(run, duplicate));
        const QList<StoredItem> items = *store.items(run);
        QCOMPARE(items.first().state, u"done"_s);
        QCOMPARE(items.first().rawAnswer, u" B."_s);
        QCOMPARE(scalar(*p, "SELECT attempts FROM items ORDER BY id LIMIT 1"), 1);
        const RunCounts c = *store.counts(run);
        QCOMPARE(c.total, 3);
        QCOMPARE(c.done, 1);
        QCOMPARE(c.pending, 2);
        QCOMPARE(c.promptTokens, 10);
    }

    void failedItemsKeepTheirErrorAndCanBeReset()
    {
        auto p = newProject();
        RunStore store(*p);
        const qint64 run = *store.createRun(RunInfo{});
        const qint64 first = planItems(store, run, 4);
        ItemResult failed;
        failed.itemId = first + 1;
        failed.error = u"HTTP 400: bad request"_s;
        failed.attempts = 1;
        QList<ItemResult> batch{answer(first, u" A."_s), failed};
        QVERIFY(store.commit(run, batch));
        QList<StoredItem> items = *store.items(run);
        QCOMPARE(items[1].state, u"failed"_s);
        QCOMPARE(items[1].error, u"HTTP 400: bad request"_s);
        QCOMPARE(*store.resetFailed(run), 1);
        items = *store.items(run);
        QCOMPARE(items[1].state, u"pending"_s);
        QCOMPARE(items[0].state, u"done"_s);
        QCOMPARE(store.counts(run)->failed, 0);
        QCOMPARE(store.pendingItems(run, 0, 10)->size(), 3);
        QCOMPARE(store.pendingItems(run, first + 1, 10)->size(), 2);
    }

    void aReaskIsANewSampleInTheSameTransaction()
    {
        auto p = newProject();
        RunStore store(*p);
        const qint64 run = *store.createRun(RunInfo{});
        const qint64 first = planItems(store, run, 1);
        ItemResult r = answer(first, u" Z."_s);
        r.compliant = false;
        r.option = -1;
        r.wantReask = true;
        QList<ItemResult> batch{r};
        QVERIFY(store.commit(run, batch, {{7, "{\"sample\":7}"_ba}}));
        QVERIFY(batch.first().reaskId > first);
        const QList<StoredItem> items = *store.items(run);
        QCOMPARE(items.size(), 2);
        QCOMPARE(items[1].sample, 7);
        QCOMPARE(items[1].baseSample, 0);
        QCOMPARE(items[1].reask, 1);
        QCOMPARE(items[1].state, u"pending"_s);
        QCOMPARE(items[1].request, "{\"sample\":7}"_ba);
        QCOMPARE(items[0].compliant, false);
    }

    void theCacheAnswersAnIdenticalRequest()
    {
        auto p = newProject();
        RunStore store(*p);
        const qint64 run = *store.createRun(RunInfo{});
        const qint64 first = planItems(store, run, 1);
        ItemResult r = answer(first, u" A."_s);
        r.cacheKey = RequestCodec::cacheKey(r.request);
        QList<ItemResult> batch{r};
        QVERIFY(store.commit(run, batch));
        QCOMPARE(store.cachedResponse(r.cacheKey), std::optional<QByteArray>(r.response));
        QVERIFY(!store.cachedResponse(RequestCodec::cacheKey("other")));
    }

    void canonicalRequests_data()
    {
        QTest::addColumn<bool>("chat");
        QTest::addColumn<int>("sample");
        QTest::newRow("completion") << false << 0;
        QTest::newRow("chat, sample 5") << true << 5;
    }

    void canonicalRequests()
    {
        QFETCH(bool, chat);
        QFETCH(int, sample);
        LlmRequest r;
        r.chat = chat;
        if (chat)
            r.messages = {{u"system"_s, u"Be brief."_s}, {u"user"_s, u"Pick one: \"é\""_s}};
        else
            r.prompt = u"Some text\n\nQuestion: pick\nAnswer:"_s;
        r.stop = {u"\n"_s, u"Question:"_s};
        r.logprobs = 5;
        r.seed = 123456789;
        const QByteArray json = RequestCodec::canonicalRequest(r, u"m"_s, sample);
        QVERIFY(json.contains(QByteArray("\"sample\":" + QByteArray::number(sample))));
        QVERIFY(json.contains("\"seed\":123456789"));
        Result<LlmRequest> back = RequestCodec::requestFromJson(json);
        QVERIFY(back);
        QCOMPARE(RequestCodec::canonicalRequest(*back, u"other"_s, sample), json); // the model is kept
        QVERIFY(RequestCodec::cacheKey(RequestCodec::canonicalRequest(r, u"m"_s, sample + 1)) !=
                RequestCodec::cacheKey(json));
        QCOMPARE(RequestCodec::cacheKey(json).size(), 64);
    }

    void responsesRoundTrip()
    {
        LlmResponse r;
        r.id = u"cmpl-1"_s;
        r.model = u"m"_s;
        LlmChoice c;
        c.text = u" B. It fits"_s;
        c.finishReason = u"stop"_s;
        c.hasLogprobs = true;
        c.logprobs = {TokenLogprob{u" B"_s, -0.25, {{u" B"_s, -0.25}, {u" A"_s, -1.5}}}};
        r.choices = {c};
        r.hasUsage = true;
        r.usage = {12, 3, 15};
        const QByteArray json = RequestCodec::responseToJson(r);
        Result<LlmResponse> back = RequestCodec::responseFromJson(json);
        QVERIFY(back);
        QCOMPARE(RequestCodec::responseToJson(*back), json);
        QCOMPARE(back->choices.first().logprobs.first().top.size(), 2);
        QCOMPARE(back->usage.completionTokens, 3);
    }
};

QTEST_GUILESS_MAIN(TestRunStore)
#include "TestRunStore.moc"
