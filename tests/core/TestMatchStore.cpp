#include "PersonaFixture.h"
#include "RunFixture.h"
#include "TempProject.h"

#include "matching/CategoryMapLocator.h"
#include "matching/MatchStore.h"
#include "pipeline/MatchStep.h"
#include "run/PersonaSetStore.h"

#include <QFile>
#include <QSet>
#include <QTest>

#include <cmath>
#include <limits>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

// Stored matches, and the match step that computes them from a demographics run and a data set.
class TestMatchStore : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;
    int m_files = 0;

    struct Fixture
    {
        std::unique_ptr<ProjectFile> project;
        qint64 runId = 0;
    };

    Fixture fixture(int personas, int respondents)
    {
        Fixture f;
        f.project = projectWithPersonas(m_dir, u"match%1.anthology"_s.arg(++m_files), personas);
        if (!f.project)
            return f;
        QList<QPair<QString, int>> list;
        for (int i = 0; i < personas; ++i)
            list.append({personaUid(i), 1});
        Result<qint64> run = writeDemographicsRun(*f.project, u"demo"_s, list, defaultDemographics());
        f.runId = run ? *run : 0;
        if (!storeSyntheticWave(*f.project, u"W99"_s, respondents))
            f.runId = 0;
        return f;
    }

    static MatchRequest request(const QString &method)
    {
        MatchRequest r;
        r.name = u"na_"_s + method;
        r.method = method;
        r.dataset = u"W99"_s;
        r.demographicsRun = u"demo"_s;
        r.demographics = defaultDemographics();
        return r;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void storesAndLoadsAMatch()
    {
        auto project = projectWithPersonas(m_dir, u"store.anthology"_s, 2);
        QVERIFY(project);
        MatchRecord m;
        m.name = u"m1"_s;
        m.method = u"greedy"_s;
        m.datasetName = u"W99"_s;
        m.traits = {u"age_category_4"_s, u"gender"_s};
        m.seed = 9;
        StoredMatchPair a;
        a.humanKey = u"1001"_s;
        a.humanWeight = 0.75;
        a.backstoryUid = personaUid(0);
        a.backstoryRevision = 2;
        a.logWeight = -1.5;
        a.weight = std::exp(-1.5);
        a.traits.insert(u"gender"_s, HumanTrait{u"F_GENDER"_s, 2, u"A woman"_s});
        a.traits.insert(u"age_category_4"_s, HumanTrait{u"F_AGECAT"_s, 99, u"Refused"_s});
        StoredMatchPair b = a;
        b.humanKey = u"1002"_s;
        b.logWeight = -std::numeric_limits<double>::infinity();
        b.weight = 0.0;
        m.pairs = {a, b};
        MatchStore store(*project);
        Result<qint64> id = store.insert(m);
        QVERIFY2(id, id ? "" : qPrintable(id.error().toString()));
        Result<MatchRecord> back = store.load(*id);
        QVERIFY(back);
        QCOMPARE(back->name, m.name);
        QCOMPARE(back->traits, m.traits);
        QCOMPARE(back->seed, 9);
        QCOMPARE(back->datasetId, 0); // no such data set row: none linked
        QCOMPARE(back->pairs.size(), 2);
        QCOMPARE(back->pairs[0].humanKey, u"1001"_s);
        QCOMPARE(back->pairs[0].humanWeight, 0.75);
        QCOMPARE(back->pairs[0].backstoryRevision, 2);
        QCOMPARE(back->pairs[0].logWeight, -1.5);
        QCOMPARE(back->pairs[0].traits.value(u"gender"_s).label, u"A woman"_s);
        QCOMPARE(back->pairs[0].traits.value(u"age_category_4"_s).code, 99);
        QVERIFY(std::isinf(back->pairs[1].logWeight) && back->pairs[1].logWeight < 0);
        QCOMPARE(back->pairs[1].weight, 0.0);
        QCOMPARE(**store.find(u"m1"_s), *id);
        QVERIFY(!store.find(u"other"_s)->has_value());
        QCOMPARE(store.list()->size(), 1);

        Result<qint64> again = store.insert(m);
        QVERIFY(!again);
        QVERIFY(again.error().message.contains(u"already exists"_s));
    }

    void categoryMapsAreFoundByWave()
    {
        for (int wave : {34, 92, 99, 111}) {
            QVERIFY(QFile::exists(CategoryMapLocator::resourcePath(wave)));
            Result<CategoryMapConfig> fromResource =
                CategoryMapLocator::load(wave, {}, CategoryMapLocator::resourcePath(wave));
            QVERIFY2(fromResource, fromResource ? "" : qPrintable(fromResource.error().toString()));
            QCOMPARE(fromResource->wave(), wave);
            QVERIFY(!CategoryMapLocator::locate(wave, {}).isEmpty());
        }
        // A user's config dir wins over ours.
        QFile ours(CategoryMapLocator::locate(99, {}));
        QVERIFY(ours.open(QIODevice::ReadOnly));
        const QString mine = m_dir.writeFile(u"atp_w99.yaml"_s, ours.readAll());
        QCOMPARE(CategoryMapLocator::locate(99, {m_dir.dir()}), mine);
        Result<CategoryMapConfig> none = CategoryMapLocator::load(12345, {});
        QVERIFY(!none);
        QVERIFY(none.error().message.contains(u"category_map=FILE"_s));
        QVERIFY(!CategoryMapLocator::load(0, {}));
    }

    void greedyAndMaximumWeightMatch_data()
    {
        QTest::addColumn<QString>("method");
        QTest::newRow("greedy") << u"greedy"_s;
        QTest::newRow("maximum_weight") << u"maximum_weight"_s;
        QTest::newRow("random") << u"random"_s;
    }

    void greedyAndMaximumWeightMatch()
    {
        QFETCH(QString, method);
        Fixture f = fixture(40, 25);
        QVERIFY(f.runId > 0);
        Result<MatchOutcome> out = MatchStep::run(*f.project, request(method));
        QVERIFY2(out, out ? "" : qPrintable(out.error().toString()));
        QCOMPARE(out->humans, 25);
        QCOMPARE(out->personas, 40);
        QCOMPARE(out->personaSets.size(), 3);
        Result<MatchRecord> m = MatchStore(*f.project).load(out->matchId);
        QVERIFY(m);
        QCOMPARE(m->method, method);
        QCOMPARE(m->demographicsRunId, f.runId);
        QCOMPARE(m->pairs.size(), 25);
        QSet<QString> humans, personas;
        for (const StoredMatchPair &p : std::as_const(m->pairs)) {
            humans.insert(p.humanKey);
            personas.insert(p.backstoryUid);
            QCOMPARE(p.traits.size(), m->traits.size());
            QVERIFY(p.humanWeight > 0);
            QVERIFY(p.weight >= 0 && p.weight <= 1);
        }
        QCOMPARE(humans.size(), 25);
        if (method != u"greedy"_s)
            QCOMPARE(personas.size(), 25); // one persona per human
        QCOMPARE(out->distinctPersonas, personas.size());
        // The sets carry the human links.
        for (const QString &name : out->personaSets) {
            Result<PersonaSet> set = PersonaSetStore(*f.project).load(name);
            QVERIFY(set);
            QCOMPARE(set->kind, u"matched"_s);
            QCOMPARE(set->members.size(), 25);
            QCOMPARE(set->members[3].humanKey, m->pairs[3].humanKey);
            QCOMPARE(set->members[3].backstoryUid, m->pairs[3].backstoryUid);
            QVERIFY(set->members[3].afterText.startsWith(u"\n\n"_s));
        }
        // Running it again by name reuses the stored match.
        Result<MatchOutcome> again = MatchStep::run(*f.project, request(method));
        QVERIFY(again);
        QVERIFY(again->reused);
        QCOMPARE(again->matchId, out->matchId);
        MatchRequest other = request(method == u"greedy"_s ? u"random"_s : u"greedy"_s);
        other.name = request(method).name;
        Result<MatchOutcome> clash = MatchStep::run(*f.project, other);
        QVERIFY(!clash);
        QVERIFY2(clash.error().message.contains(u"another name"_s), qPrintable(clash.error().message));
    }

    void maximumWeightPicksTheBestTotal()
    {
        Fixture f = fixture(30, 20);
        QVERIFY(f.runId > 0);
        Result<MatchOutcome> greedy = MatchStep::run(*f.project, request(u"greedy"_s));
        Result<MatchOutcome> best = MatchStep::run(*f.project, request(u"maximum_weight"_s));
        Result<MatchOutcome> random = MatchStep::run(*f.project, request(u"random"_s));
        QVERIFY(greedy && best && random);
        const auto total = [&](qint64 id) {
            double sum = 0;
            const MatchRecord m = *MatchStore(*f.project).load(id);
            for (const StoredMatchPair &p : m.pairs)
                sum += p.weight;
            return sum;
        };
        // Greedy bounds every one-to-one assignment from above; the best one beats a random one.
        QVERIFY(total(greedy->matchId) >= total(best->matchId) - 1e-12);
        QVERIFY(total(best->matchId) >= total(random->matchId) - 1e-12);
    }

    void refusesUpFront_data()
    {
        QTest::addColumn<QString>("method");
        QTest::addColumn<QStringList>("traits");
        QTest::addColumn<QString>("categoryMap");
        QTest::addColumn<QString>("expected");
        QTest::newRow("more humans than personas") << u"maximum_weight"_s << QStringList() << QString()
                                                   << u"has 25 respondents and demographics run"_s;
        QTest::newRow("unknown method")
            << u"hungarian"_s << QStringList() << QString() << u"method must be"_s;
        QTest::newRow("unknown trait")
            << u"greedy"_s << QStringList{u"shoe_size"_s} << QString() << u"unknown trait 'shoe_size'"_s;
        QTest::newRow("missing variable")
            << u"greedy"_s << QStringList{u"age"_s, u"gender"_s} << u"F_SEX_ONLY"_s << u"F_SEX_ONLY"_s;
    }

    void refusesUpFront()
    {
        QFETCH(QString, method);
        QFETCH(QStringList, traits);
        QFETCH(QString, categoryMap);
        QFETCH(QString, expected);
        Fixture f = fixture(10, 25);
        QVERIFY(f.runId > 0);
        MatchRequest r = request(method);
        r.traits = traits;
        if (!categoryMap.isEmpty()) {
            QFile ours(CategoryMapLocator::locate(99, {}));
            QVERIFY(ours.open(QIODevice::ReadOnly));
            QByteArray yaml = ours.readAll();
            yaml.replace("[F_GENDER, F_SEX_FINAL]", categoryMap.toUtf8());
            r.categoryMapPath = m_dir.writeFile(u"map%1.yaml"_s.arg(m_files), yaml);
        }
        Result<MatchOutcome> out = MatchStep::run(*f.project, r);
        QVERIFY(!out);
        QVERIFY2(out.error().message.contains(expected), qPrintable(out.error().message));
        QVERIFY(MatchStore(*f.project).list()->isEmpty());
        QVERIFY(PersonaSetStore(*f.project).list()->isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestMatchStore)
#include "TestMatchStore.moc"
