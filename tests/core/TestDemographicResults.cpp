#include "PersonaFixture.h"
#include "RunFixture.h"
#include "TempProject.h"

#include "pipeline/DemographicResults.h"

#include <QTest>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

// The reader of "demographics" runs (SESSION2 contract), on runs written through RunStore.
class TestDemographicResults : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;
    int m_files = 0;

    std::unique_ptr<ProjectFile> newProject(int personas)
    {
        return projectWithPersonas(m_dir, u"demo%1.anthology"_s.arg(++m_files), personas);
    }

    static QList<QPair<QString, int>> personaList(int n)
    {
        QList<QPair<QString, int>> out;
        for (int i = 0; i < n; ++i)
            out.append({personaUid(i), 1});
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(defaultDemographics().traits.size() >= 4);
    }

    void readsEveryPersonaAndTrait()
    {
        auto project = newProject(5);
        QVERIFY(project);
        const DemographicQuestionnaire q = defaultDemographics();
        Result<qint64> run = writeDemographicsRun(*project, u"demo"_s, personaList(5), q);
        QVERIFY2(run, run ? "" : qPrintable(run.error().toString()));
        Result<DemographicResults> r = DemographicResults::load(*project, *run);
        QVERIFY2(r, r ? "" : qPrintable(r.error().toString()));
        QCOMPARE(r->personas().size(), 5);
        QCOMPARE(r->personas().first().uid, personaUid(0));
        QCOMPARE(r->commonTraits().size(), q.traits.size());
        for (int i = 0; i < 5; ++i) {
            for (const DemographicQuestion &t : q.traits) {
                const TraitDistribution *d = r->distribution(personaUid(i), t.key);
                QVERIFY(d);
                QCOMPARE(d->choices, t.choices);
                QCOMPARE(d->source, u"sampling"_s);
                const QList<double> expected = personaDistribution(i, t);
                QCOMPARE(d->probabilities.size(), expected.size());
                for (int k = 0; k < expected.size(); ++k)
                    QCOMPARE(d->probabilities[k], expected[k]);
                QCOMPARE(d->matchingVector(), expected); // prefer-not present: unchanged
            }
        }
    }

    void pendingItemsAreLeftOut()
    {
        auto project = newProject(3);
        QVERIFY(project);
        const DemographicQuestionnaire q = defaultDemographics();
        const QString missing = q.traits.first().key;
        Result<qint64> run = writeDemographicsRun(*project, u"demo"_s, personaList(3), q, {{1, missing}});
        QVERIFY(run);
        Result<DemographicResults> r = DemographicResults::load(*project, *run);
        QVERIFY(r);
        QVERIFY(!r->distribution(personaUid(1), missing));
        QVERIFY(r->distribution(personaUid(0), missing));
        QVERIFY(!r->commonTraits().contains(missing));
        QCOMPARE(r->commonTraits().size(), q.traits.size() - 1);
    }

    void refusesARunOfAnotherKind()
    {
        auto project = newProject(1);
        RunStore store(*project);
        RunInfo info;
        info.name = u"opinions"_s;
        info.config = u"{}"_s;
        info.programVersion = u"test"_s;
        Result<qint64> run = store.createRun(info);
        QVERIFY(run);
        Result<DemographicResults> r = DemographicResults::load(*project, *run);
        QVERIFY(!r);
        QVERIFY2(r.error().message.contains(u"not a demographics run"_s), qPrintable(r.error().message));
        QVERIFY(!DemographicResults::load(*project, 999));
    }

    void malformedDistributionsAreNamed_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not an object") << "[1, 2]"_ba << u"not a JSON object"_s;
        QTest::newRow("no choices") << R"({"choices": [], "probabilities": [1]})"_ba << u"no choices"_s;
        QTest::newRow("short") << R"({"choices": ["a", "b"], "probabilities": [0.5, 0.5]})"_ba
                               << u"expected 3 probabilities"_s;
        QTest::newRow("counts") << R"({"choices": ["a"], "counts": [1], "probabilities": [1, 0]})"_ba
                                << u"expected 2 counts"_s;
        QTest::newRow("range") << R"({"choices": ["a"], "probabilities": [1.5, 0]})"_ba
                               << u"outside [0, 1]"_s;
    }

    void malformedDistributionsAreNamed()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        Result<TraitDistribution> d = DemographicResults::parse(json);
        QVERIFY(!d);
        QVERIFY2(d.error().message.contains(expected), qPrintable(d.error().message));

        // Through a stored run, the message names the item, persona and trait.
        auto project = newProject(1);
        RunStore store(*project);
        RunInfo info;
        info.name = u"demo"_s;
        info.kind = u"demographics"_s;
        info.config = u"{}"_s;
        info.programVersion = u"test"_s;
        const qint64 run = *store.createRun(info);
        PlannedItem item;
        item.persona = personaUid(0);
        item.question = u"gender"_s;
        const qint64 id = *store.insertItem(run, item);
        ItemResult r;
        r.itemId = id;
        r.ok = true;
        r.distribution = json;
        QList<ItemResult> results{r};
        QVERIFY(store.commit(run, results));
        Result<DemographicResults> loaded = DemographicResults::load(*project, run);
        QVERIFY(!loaded);
        QVERIFY2(loaded.error().message.contains(u"persona '%1', trait 'gender'"_s.arg(personaUid(0))),
                 qPrintable(loaded.error().message));
    }

    void findRunGivesTheNewestOfKindAndName()
    {
        auto project = newProject(2);
        QVERIFY(project);
        const DemographicQuestionnaire q = defaultDemographics();
        RunStore store(*project);
        QVERIFY(!store.findRun(u"demographics"_s, u"demo"_s)->has_value());
        const qint64 first = *writeDemographicsRun(*project, u"demo"_s, personaList(2), q);
        const qint64 second = *writeDemographicsRun(*project, u"demo"_s, personaList(2), q);
        const qint64 other = *writeDemographicsRun(*project, u"other"_s, personaList(2), q);
        QVERIFY(first < second && second < other);
        QCOMPARE(**store.findRun(u"demographics"_s, u"demo"_s), second);
        QCOMPARE(**store.findRun(u"demographics"_s, u"other"_s), other);
        QVERIFY(!store.findRun(u"survey"_s, u"demo"_s)->has_value());
    }

    void aTraitWithoutPreferNotGetsAnEmptyBucket()
    {
        TraitDistribution d;
        d.choices = {u"Yes"_s, u"No"_s};
        d.probabilities = {0.7, 0.2, 0.1};
        QVERIFY(!d.hasPreferNot());
        QCOMPARE(d.matchingVector(), (QList<double>{0.7, 0.2, 0.0, 0.1}));
    }
};

QTEST_GUILESS_MAIN(TestDemographicResults)
#include "TestDemographicResults.moc"
