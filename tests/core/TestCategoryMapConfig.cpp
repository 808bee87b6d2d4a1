#include "TestPaths.h"
#include "support/TempProject.h"

#include "data/Dataset.h"
#include "data/SyntheticAtpGenerator.h"
#include "matching/CategoryMapConfig.h"

#include <QTest>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

namespace {

const QStringList kTraits = {
    u"age_category_4"_s, u"gender"_s, u"education_level"_s, u"income_level_category_13"_s,
    u"race"_s,           u"region"_s, u"religion"_s,        u"political_affiliation"_s};

// Choice counts of our demographic questionnaire (before "Prefer not to answer").
const QList<int> kChoiceCounts = {4, 3, 7, 13, 8, 4, 12, 4};

DemographicQuestionnaire incomeQuestionnaire()
{
    DemographicQuestion q;
    q.key = u"income_level_category_13"_s;
    q.choices = {u"Less than $30,000"_s, u"$30,000 to $60,000"_s, u"$60,000 or more"_s,
                 u"Prefer not to answer"_s};
    DemographicQuestionnaire d;
    d.traits.append(q);
    return d;
}

} // namespace

class TestCategoryMapConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shippedDefaultsLoad_data()
    {
        QTest::addColumn<int>("wave");
        for (int wave : {34, 92, 99, 111})
            QTest::newRow(qPrintable(u"w%1"_s.arg(wave))) << wave;
    }

    void shippedDefaultsLoad()
    {
        QFETCH(int, wave);
        const QString path = QStringLiteral(ANTHOLOGY_CONFIGS_DIR) + u"/matching/atp_w%1.yaml"_s.arg(wave);
        const auto config = CategoryMapConfig::load(path);
        QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().toString()));
        QCOMPARE(config->wave(), wave);
        QCOMPARE(config->traits().size(), kTraits.size());
        for (qsizetype i = 0; i < kTraits.size(); ++i) {
            const TraitCategoryMap *t = config->find(kTraits[i]);
            QVERIFY2(t, qPrintable(kTraits[i]));
            QVERIFY(t->map.validate().ok());
            QCOMPARE(t->categoryNames.size(), t->map.categoryCount);
            QVERIFY(!t->humanVariables.isEmpty());
            // Every fine choice of our questionnaire has a place, except a third gender against a
            // file that records two sexes.
            QVERIFY(t->map.choiceToCategory.size() <= kChoiceCounts[i]);
            int mapped = 0;
            for (int c : t->map.choiceToCategory)
                mapped += c >= 0 ? 1 : 0;
            const int expected = wave == 34 && kTraits[i] == u"gender"_s ? 2 : kChoiceCounts[i];
            QCOMPARE(mapped, expected);
            // Every category is reached from both sides.
            for (int k = 0; k < t->map.categoryCount; ++k) {
                QVERIFY2(t->map.choiceToCategory.contains(k), qPrintable(kTraits[i] + u" category"_s));
                QVERIFY2(t->map.humanCodeToCategory.values().contains(k), qPrintable(kTraits[i]));
            }
        }
    }

    void newerWavesFitTheirAtpVariables_data()
    {
        QTest::addColumn<int>("wave");
        for (int wave : {92, 99, 111})
            QTest::newRow(qPrintable(u"w%1"_s.arg(wave))) << wave;
    }

    void newerWavesFitTheirAtpVariables()
    {
        // The synthetic data set uses the names and code layouts of the 2021-2022 waves.
        QFETCH(int, wave);
        const Dataset data = SyntheticAtpGenerator({50, 1, wave, 1, 0.1}).generate();
        const auto config = CategoryMapConfig::load(QStringLiteral(ANTHOLOGY_CONFIGS_DIR) +
                                                    u"/matching/atp_w%1.yaml"_s.arg(wave));
        QVERIFY(config.ok());
        for (const TraitCategoryMap &t : config->traits()) {
            const Result<QString> variable = t.variableIn(data);
            QVERIFY2(variable.ok(), qPrintable(variable.ok() ? QString() : variable.error().toString()));
            const Status codes = t.checkCodes(data.variable(data.indexOf(*variable)));
            QVERIFY2(codes.ok(), qPrintable(codes.ok() ? QString() : codes.error().toString()));
            // 99 Refused stays unknown: a uniform vector.
            const std::vector<double> refused = t.map.humanVector(99);
            QCOMPARE(refused.size(), size_t(t.map.categoryCount));
            QCOMPARE(refused.front(), 1.0 / t.map.categoryCount);
        }
        const TraitCategoryMap *income = config->find(u"income_level_category_13"_s);
        QVERIFY(income);
        // Three low brackets of the persona's 13 pool into the file's "under $30,000".
        QList<double> persona(13 + 2, 0.0);
        persona[0] = 0.2;
        persona[2] = 0.2;
        persona[12] = 0.4;
        persona[13] = 0.2; // prefer not to answer: dropped
        const std::vector<double> v = income->map.personaVector(persona);
        QCOMPARE(v.size(), size_t(9));
        QCOMPARE(v[0], 0.5);
        QCOMPARE(v[8], 0.5);
    }

    void readsARealFileWithLabelsAndNumbers()
    {
        TempProject tmp;
        const QString path = tmp.writeFile(u"map.yaml"_s, R"(# hand-written
wave: 7
traits:
  income_level_category_13:
    atp_variable: [INC_NEW, INC_OLD]
    categories:
      - name: low
        llm: ["less than $30,000"]
        atp: [1, 2]
      - name: high
        llm: [2, "$60,000 or more"]
        atp: [3]
)"_ba);
        const DemographicQuestionnaire questionnaire = incomeQuestionnaire();
        const auto config = CategoryMapConfig::load(path, &questionnaire);
        QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().toString()));
        QCOMPARE(config->wave(), 7);
        const TraitCategoryMap *t = config->find(u"income_level_category_13"_s);
        QVERIFY(t);
        QCOMPARE(t->map.choiceToCategory, (QList<int>{0, 1, 1}));
        QCOMPARE(t->map.humanCodeToCategory.value(2), 0);
        QCOMPARE(t->map.humanCodeToCategory.value(3), 1);
        QCOMPARE(t->humanVariables, (QStringList{u"INC_NEW"_s, u"INC_OLD"_s}));
        QCOMPARE(t->categoryNames, (QStringList{u"low"_s, u"high"_s}));
    }

    void errorsNameFileLineColumnAndKey_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("message");
        const QByteArray head =
            "wave: 92\ntraits:\n  region:\n    atp_variable: F_CREGION\n    categories:\n";
        QTest::newRow("not yaml") << "traits: [unclosed\n"_ba << 2 << 1 << QString() << u"not valid YAML"_s;
        QTest::newRow("wave not a number")
            << "wave: ninety\ntraits: {}\n"_ba << 1 << 7 << u"wave"_s << u"expected a wave number"_s;
        QTest::newRow("no traits") << "wave: 3\n"_ba << 1 << 1 << u"traits"_s << u"expected 'traits'"_s;
        QTest::newRow("typo in a key") << "wave: 3\ntraits:\n  region:\n    atp_varible: X\n"_ba << 4 << 5
                                       << u"traits.region.atp_varible"_s << u"unknown key 'atp_varible'"_s;
        QTest::newRow("choice zero") << head + "      - name: a\n        llm: [0]\n        atp: [1]\n"_ba << 7
                                     << 15 << u"traits.region.categories[0].llm"_s << u"from 1"_s;
        QTest::newRow("choice twice") << head + "      - name: a\n        llm: [1]\n        atp: [1]\n      "
                                                "- name: b\n        llm: [2, 1]\n"
                                                "        atp: [2]\n"_ba
                                      << 10 << 18 << u"traits.region.categories[1].llm"_s
                                      << u"already in traits.region.categories[0]"_s;
        QTest::newRow("code twice")
            << head +
                   "      - name: a\n        llm: [1]\n        atp: [1]\n      - name: b\n        llm: [2]\n"
                   "        atp: [1]\n"_ba
            << 11 << 15 << u"traits.region.categories[1].atp"_s << u"ATP code 1 is already"_s;
        QTest::newRow("code not a number")
            << head + "      - name: a\n        llm: [1]\n        atp: [one]\n"_ba << 8 << 15
            << u"traits.region.categories[0].atp"_s << u"whole-number ATP code"_s;
        QTest::newRow("label without questionnaire")
            << head + "      - name: a\n        llm: [Northeast]\n        atp: [1]\n"_ba << 7 << 15
            << u"traits.region.categories[0].llm"_s << u"needs the demographic questionnaire"_s;
        QTest::newRow("category without name")
            << head + "      - llm: [1]\n        atp: [1]\n"_ba << 6 << 9
            << u"traits.region.categories[0].name"_s << u"expected the category's name"_s;
        QTest::newRow("no variable") << "traits:\n  region:\n    categories: []\n"_ba << 3 << 5
                                     << u"traits.region.atp_variable"_s << u"ATP variable"_s;
    }

    void errorsNameFileLineColumnAndKey()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, key);
        QFETCH(QString, message);
        TempProject tmp;
        const QString path = tmp.writeFile(u"bad.yaml"_s, yaml);
        const auto config = CategoryMapConfig::load(path);
        QVERIFY(!config.ok());
        const Error &e = config.error();
        QCOMPARE(e.file, path);
        QVERIFY2(e.message.contains(message), qPrintable(e.toString()));
        QCOMPARE(e.key, key);
        QCOMPARE(e.line, line);
        QCOMPARE(e.column, column);
    }

    void labelsAreCheckedAgainstTheQuestionnaire()
    {
        const DemographicQuestionnaire questionnaire = incomeQuestionnaire();
        const auto unknownLabel = CategoryMapConfig::parse(
            "traits:\n  income_level_category_13:\n    atp_variable: X\n    categories:\n"
            "      - name: a\n        llm: [\"A lot\"]\n        atp: [1]\n"_ba,
            u"inline.yaml"_s, &questionnaire);
        QVERIFY(!unknownLabel.ok());
        QVERIFY2(unknownLabel.error().message.contains(u"$30,000 to $60,000"_s),
                 qPrintable(unknownLabel.error().message));
        QCOMPARE(unknownLabel.error().line, 6);
        const auto beyond = CategoryMapConfig::parse(
            "traits:\n  income_level_category_13:\n    atp_variable: X\n    categories:\n"
            "      - name: a\n        llm: [4]\n        atp: [1]\n"_ba,
            u"inline.yaml"_s, &questionnaire);
        QVERIFY(!beyond.ok());
        QVERIFY2(beyond.error().message.contains(u"has 3 choices"_s), qPrintable(beyond.error().message));
    }

    void missingVariableAndUnmappedCodeAreNamed()
    {
        const auto config = CategoryMapConfig::parse(
            "traits:\n  region:\n    atp_variable: [F_CREGION_X, F_CREGION]\n    categories:\n"
            "      - name: a\n        llm: [1]\n        atp: [1, 2, 3]\n"_ba,
            u"inline.yaml"_s);
        QVERIFY(config.ok());
        const Dataset data = SyntheticAtpGenerator({10, 0, 92, 1, 0.0}).generate();
        const TraitCategoryMap &t = config->traits().first();
        QCOMPARE(*t.variableIn(data), u"F_CREGION"_s);
        const Status codes = t.checkCodes(data.variable(data.indexOf(u"F_CREGION"_s)));
        QVERIFY(!codes.ok());
        QVERIFY2(codes.error().message.contains(u"code 4 (West)"_s), qPrintable(codes.error().message));
        TraitCategoryMap other = t;
        other.humanVariables = {u"NOPE"_s};
        QVERIFY(!other.variableIn(data).ok());
    }
};

QTEST_GUILESS_MAIN(TestCategoryMapConfig)
#include "TestCategoryMapConfig.moc"
