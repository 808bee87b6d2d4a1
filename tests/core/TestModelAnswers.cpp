#include "support/TempProject.h"

#include "analysis/ComparisonBuilder.h"
#include "analysis/ModelAnswers.h"
#include "data/Dataset.h"

#include <QTest>

#include <cmath>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

namespace {

// Two questions of 3 and 2 choices, 4 respondents, a weight and an age variable.
Dataset smallDataset()
{
    Dataset ds;
    ds.setRowCount(4);
    const auto labelled = [](const QString &name, const QStringList &labels) {
        Variable v;
        v.name = name;
        v.label = name + u". Our own question text"_s;
        for (qsizetype i = 0; i < labels.size(); ++i)
            v.valueLabels.append({double(i + 1), {}, labels[i]});
        v.valueLabels.append({99.0, {}, u"Refused"_s});
        v.missingValues = {99.0};
        return v;
    };
    ds.numericColumnRef(ds.addVariable(labelled(u"Q1_W5"_s, {u"Low"_s, u"Mid"_s, u"High"_s}))) = {1, 2, 99,
                                                                                                  3};
    ds.numericColumnRef(ds.addVariable(labelled(u"Q2_W5"_s, {u"No"_s, u"Yes"_s}))) = {1, 2, 2, std::nan("")};
    ds.numericColumnRef(ds.addVariable(labelled(u"AGE"_s, {u"Young"_s, u"Old"_s}))) = {1, 2, 99, 2};
    Variable w;
    w.name = u"WEIGHT_W5"_s;
    ds.numericColumnRef(ds.addVariable(w)) = {1.5, std::nan(""), 0.5, -2.0};
    (void)ds.setWeightVariable(u"WEIGHT_W5"_s);
    return ds;
}

} // namespace

class TestModelAnswers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsQuotedFieldsCrlfAndBom()
    {
        TempProject tmp;
        const QString path = tmp.writeFile(u"a.csv"_s, "\xEF\xBB\xBFPersona,Question,Option,Group,extra\r\n"
                                                       "p1,Q1_W5,2,\"Young\",x\r\n"
                                                       "\"p,2\",Q1_W5,,\"Old\nand wise\",y\r\n"
                                                       "\r\n"
                                                       "p1,Q2_W5, 1 ,Young,z\r\n"_ba);
        const auto answers = ModelAnswers::readCsv(path);
        QVERIFY2(answers.ok(), qPrintable(answers.ok() ? QString() : answers.error().toString()));
        QCOMPARE(answers->personas(), (QStringList{u"p1"_s, u"p,2"_s}));
        QCOMPARE(answers->questions(), (QStringList{u"Q1_W5"_s, u"Q2_W5"_s}));
        QCOMPARE(answers->option(0, 0), 2);
        QCOMPARE(answers->option(1, 0), ModelAnswers::nonCompliant);
        QCOMPARE(answers->option(0, 1), 1);
        QCOMPARE(answers->option(1, 1), ModelAnswers::notAsked);
        QCOMPARE(answers->group(1), u"Old\nand wise"_s);
        QCOMPARE(answers->line(0, 1), 6);
        QVERIFY(answers->hasGroups());
    }

    void errorsNameTheLineAndColumn_data()
    {
        QTest::addColumn<QByteArray>("csv");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("message");
        QTest::newRow("option zero") << "persona,question,option\np1,Q1,1\np1,Q2,0\n"_ba << 3 << u"option"_s
                                     << u"got '0'"_s;
        QTest::newRow("empty persona")
            << "persona,question,option\n,Q1,1\n"_ba << 2 << u"persona"_s << u"persona id"_s;
        QTest::newRow("answered twice")
            << "persona,question,option\np1,Q1,1\n\np1,Q1,2\n"_ba << 4 << u"question"_s << u"(line 2)"_s;
        QTest::newRow("two groups") << "persona,question,option,group\np1,Q1,1,a\np1,Q2,1,b\n"_ba << 3
                                    << u"group"_s << u"one group per persona"_s;
        QTest::newRow("stray quote") << "persona,question,option\np1,Q\"1,1\n"_ba << 2 << QString()
                                     << u"quote"_s;
        QTest::newRow("no question column")
            << "persona,item,option\n"_ba << 1 << u"question"_s << u"no 'question' column"_s;
    }

    void errorsNameTheLineAndColumn()
    {
        QFETCH(QByteArray, csv);
        QFETCH(int, line);
        QFETCH(QString, key);
        QFETCH(QString, message);
        TempProject tmp;
        const QString path = tmp.writeFile(u"bad.csv"_s, csv);
        const auto answers = ModelAnswers::readCsv(path);
        QVERIFY(!answers.ok());
        QCOMPARE(answers.error().file, path);
        QCOMPARE(answers.error().line, line);
        QCOMPARE(answers.error().key, key);
        QVERIFY2(answers.error().message.contains(message), qPrintable(answers.error().toString()));
    }

    void buildsHumanAndModelMatrices()
    {
        ModelAnswers answers;
        QVERIFY(answers.add(u"a"_s, u"Q2_W5"_s, 2));
        QVERIFY(answers.add(u"a"_s, u"Q1_W5"_s, ModelAnswers::nonCompliant));
        QVERIFY(answers.add(u"b"_s, u"Q1_W5"_s, 3)); // b never answered Q2: non-compliant there
        QVERIFY(!answers.add(u"b"_s, u"Q1_W5"_s, 1));
        answers.setGroup(0, u"2"_s); // a code, read as its label
        answers.setGroup(1, u"Young"_s);
        const Dataset ds = smallDataset();
        const auto built = ComparisonBuilder::build(ds, answers, {u"Q1_W5"_s, u"Q2_W5"_s}, u"AGE"_s);
        QVERIFY2(built.ok(), qPrintable(built.ok() ? QString() : built.error().toString()));
        QCOMPARE(built->data.categoryCounts, (QList<int>{3, 2}));
        QCOMPARE(built->data.humanCodes.codes, (std::vector<int>{1, 1, 2, 2, 99, 2, 3, -1}));
        // Missing and negative weights weigh nothing, as under PSPP's WEIGHT BY.
        QCOMPARE(built->data.humanWeights, (std::vector<double>{1.5, 0.0, 0.5, 0.0}));
        QCOMPARE(built->data.modelAnswers.codes, (std::vector<int>{0, 2, 3, 0}));
        QCOMPARE(built->humanGroups, (QStringList{u"Young"_s, u"Old"_s, QString(), u"Old"_s}));
        QCOMPARE(built->modelGroups, (QStringList{u"Old"_s, u"Young"_s}));
        QCOMPARE(built->questions.first().choices, (QStringList{u"Low"_s, u"Mid"_s, u"High"_s}));

        const auto tooHigh = [&] {
            ModelAnswers a;
            (void)a.add(u"a"_s, u"Q2_W5"_s, 3, 7);
            return ComparisonBuilder::build(ds, a);
        }();
        QVERIFY(!tooHigh.ok());
        QCOMPARE(tooHigh.error().line, 7);
        QVERIFY(!ComparisonBuilder::build(ds, answers, {u"AGE_X"_s}).ok());
        QVERIFY(!ComparisonBuilder::build(ds, answers, {}, u"NOPE"_s).ok());
    }
};

QTEST_GUILESS_MAIN(TestModelAnswers)
#include "TestModelAnswers.moc"
