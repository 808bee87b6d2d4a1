#include "data/Dataset.h"
#include "data/DemographicMetadata.h"
#include "data/QuestionnaireFromDataset.h"
#include "data/SyntheticAtpGenerator.h"

#include <QTest>

#include <yaml-cpp/yaml.h>

using namespace anthology;
using namespace Qt::StringLiterals;

namespace {

// "1=Agree;2=Disagree;99=Refused" -> value labels.
QList<ValueLabel> labels(const QString &spec)
{
    QList<ValueLabel> out;
    for (const QString &part : spec.split(u';', Qt::SkipEmptyParts)) {
        const qsizetype eq = part.indexOf(u'=');
        out.append({part.left(eq).toDouble(), {}, part.mid(eq + 1)});
    }
    return out;
}

Variable variable(const QString &name, const QString &label, const QString &spec)
{
    Variable v;
    v.name = name;
    v.label = label;
    v.valueLabels = labels(spec);
    return v;
}

} // namespace

class TestQuestionnaireFromDataset : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void questionBodyDropsTheNamePrefix_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("label");
        QTest::addColumn<QString>("body");
        QTest::newRow("full name") << u"TRUST3_W34"_s << u"TRUST3_W34. How much do you trust it?"_s
                                   << u"How much do you trust it?"_s;
        QTest::newRow("name without wave")
            << u"TRUST3_W34"_s << u"TRUST3. How much do you trust it?"_s << u"How much do you trust it?"_s;
        QTest::newRow("colon") << u"Q7"_s << u"Q7: Pick one."_s << u"Pick one."_s;
        QTest::newRow("case differs") << u"q7_w2"_s << u"Q7_W2. Pick one."_s << u"Pick one."_s;
        QTest::newRow("no prefix") << u"Q7"_s << u"Pick one. Or two."_s << u"Pick one. Or two."_s;
        QTest::newRow("other name kept") << u"Q7"_s << u"Q8. Pick one."_s << u"Q8. Pick one."_s;
        QTest::newRow("blank padding") << u"Q7"_s << u"Q7. Pick one.   "_s << u"Pick one."_s;
    }

    void questionBodyDropsTheNamePrefix()
    {
        QFETCH(QString, name);
        QFETCH(QString, label);
        QFETCH(QString, body);
        QCOMPARE(QuestionnaireFromDataset::stripNamePrefix(name, label), body);
        const Result<Question> q = QuestionnaireFromDataset::question(variable(name, label, u"1=Yes;2=No"_s));
        QVERIFY(q.ok());
        QCOMPARE(q->body, body);
        QCOMPARE(q->id, name);
    }

    void choicesFromValueLabels_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QStringList>("choices");
        QTest::addColumn<QString>("error"); // fragment, empty when it succeeds
        QTest::newRow("plain") << u"1=Agree;2=Disagree"_s << QStringList{u"Agree"_s, u"Disagree"_s}
                               << QString();
        QTest::newRow("refused 99") << u"1=Agree;2=Disagree;99=Refused"_s
                                    << QStringList{u"Agree"_s, u"Disagree"_s} << QString();
        QTest::newRow("code >= 90 whatever its label")
            << u"1=A;2=B;3=C;90=Other answer"_s << QStringList{u"A"_s, u"B"_s, u"C"_s} << QString();
        QTest::newRow("don't know below 90")
            << u"1=A;2=B;3=Don't know"_s << QStringList{u"A"_s, u"B"_s} << QString();
        QTest::newRow("typographic apostrophe")
            << u"1=A;2=B;8=Don\u2019t know"_s << QStringList{u"A"_s, u"B"_s} << QString();
        QTest::newRow("DK and no answer")
            << u"1=A;2=B;8=DK;9=No answer"_s << QStringList{u"A"_s, u"B"_s} << QString();
        QTest::newRow("refused lower case")
            << u"1=A;2=B;3=refused"_s << QStringList{u"A"_s, u"B"_s} << QString();
        QTest::newRow("file order does not matter")
            << u"2=B;1=A;99=Refused"_s << QStringList{u"A"_s, u"B"_s} << QString();
        QTest::newRow("substantive word inside label")
            << u"1=I know a lot;2=I don't know much"_s
            << QStringList{u"I know a lot"_s, u"I don't know much"_s} << QString();
        QTest::newRow("not sure is an answer")
            << u"1=Yes;2=No;3=Not sure"_s << QStringList{u"Yes"_s, u"No"_s, u"Not sure"_s} << QString();
        QTest::newRow("gap") << u"1=A;3=C;99=Refused"_s << QStringList() << u"code 2"_s;
        QTest::newRow("starts at 0") << u"0=None;1=Some"_s << QStringList() << u"code 1"_s;
        QTest::newRow("no labels") << QString() << QStringList() << u"no value labels"_s;
        QTest::newRow("only refused") << u"99=Refused"_s << QStringList() << u"no value labels"_s;
    }

    void choicesFromValueLabels()
    {
        QFETCH(QString, spec);
        QFETCH(QStringList, choices);
        QFETCH(QString, error);
        const Result<Question> q =
            QuestionnaireFromDataset::question(variable(u"ITEM_W5"_s, u"ITEM_W5. Text"_s, spec));
        QCOMPARE(q.ok(), error.isEmpty());
        if (!q.ok()) {
            QVERIFY2(q.error().message.contains(error), qPrintable(q.error().message));
            QVERIFY(q.error().message.contains(u"ITEM_W5"_s));
            QCOMPARE(q.error().key, u"ITEM_W5"_s);
            return;
        }
        QCOMPARE(q->choices, choices);
        QVERIFY(!q->allowRandomization);
        QVERIFY(q->randomizationPatterns.isEmpty());
    }

    void stringVariablesAreRefused()
    {
        Variable v = variable(u"NAME"_s, u"NAME. Your name"_s, QString());
        v.type = VariableType::String;
        const Result<Question> q = QuestionnaireFromDataset::question(v);
        QVERIFY(!q.ok());
        QVERIFY(q.error().message.contains(u"string"_s));
    }

    void waveFromWeightOrSuffix_data()
    {
        QTest::addColumn<QString>("weight");
        QTest::addColumn<QStringList>("variables");
        QTest::addColumn<int>("wave");
        QTest::newRow("weight") << u"WEIGHT_W34"_s << QStringList{u"A_W99"_s} << 34;
        QTest::newRow("variable suffix") << QString() << QStringList{u"A"_s, u"B_W26"_s} << 26;
        QTest::newRow("none") << QString() << QStringList{u"A"_s} << 0;
    }

    void waveFromWeightOrSuffix()
    {
        QFETCH(QString, weight);
        QFETCH(QStringList, variables);
        QFETCH(int, wave);
        Dataset ds;
        if (!weight.isEmpty()) {
            Variable w;
            w.name = weight;
            ds.addVariable(w);
            QVERIFY(ds.setWeightVariable(weight).ok());
        }
        for (const QString &name : variables)
            ds.addVariable(variable(name, name + u". Text"_s, u"1=A;2=B"_s));
        const Result<Questionnaire> q = QuestionnaireFromDataset::build(ds, variables);
        QVERIFY(q.ok());
        QCOMPARE(q->wave, wave);
        QCOMPARE(q->questions.size(), variables.size());
    }

    void unknownVariableIsAnError()
    {
        const Dataset ds = SyntheticAtpGenerator({20, 2, 34, 1, 0.0}).generate();
        const Result<Questionnaire> q = QuestionnaireFromDataset::build(ds, {u"SYNQ1_W34"_s, u"NOPE_W34"_s});
        QVERIFY(!q.ok());
        QCOMPARE(q.error().key, u"NOPE_W34"_s);
    }

    void yamlInReferenceLayout()
    {
        Dataset ds;
        ds.addVariable(variable(u"TRUST_W7"_s, u"TRUST_W7. How much: \"a lot\" or not?"_s,
                                u"1=A lot;2=Not much;99=Refused"_s));
        ds.addVariable(
            variable(u"MOOD_W7"_s, u"MOOD. Today you feel"_s, u"1=Fine;2=Not fine;8=Don't know"_s));
        Result<Questionnaire> q = QuestionnaireFromDataset::build(ds, {u"TRUST_W7"_s, u"MOOD_W7"_s});
        QVERIFY(q.ok());
        q->humanDataPath.clear();
        const Result<QString> yaml = QuestionnaireFromDataset::toYaml(*q);
        QVERIFY(yaml.ok());
        const QString expected = QStringLiteral("wave: 7\n"
                                                "questions:\n"
                                                "  TRUST_W7:\n"
                                                "    question_body: \"How much: \\\"a lot\\\" or not?\"\n"
                                                "    choices:\n"
                                                "      - A lot\n"
                                                "      - Not much\n"
                                                "    allow_randomization: false\n"
                                                "    randomization_pattern: []\n"
                                                "  MOOD_W7:\n"
                                                "    question_body: Today you feel\n"
                                                "    choices:\n"
                                                "      - Fine\n"
                                                "      - Not fine\n"
                                                "    allow_randomization: false\n"
                                                "    randomization_pattern: []\n");
        QCOMPARE(*yaml, expected);
    }

    // Whatever the wording, a YAML reader gets back exactly the body and choices we emitted.
    void yamlRoundTripsAwkwardText_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("colon and hash") << u"Agree: mostly # or not"_s;
        QTest::newRow("quotes") << u"She said \"maybe\" and 'perhaps'"_s;
        QTest::newRow("leading dash") << u"- not a list"_s;
        QTest::newRow("looks boolean") << u"yes"_s;
        QTest::newRow("looks numeric") << u"10"_s;
        QTest::newRow("non-ASCII") << u"Don\u2019t know \u2013 peut-\u00eatre"_s;
        QTest::newRow("newline") << u"Line one\nLine two"_s;
        QTest::newRow("leading blank") << u" padded"_s;
        QTest::newRow("braces") << u"{not: a map} [nor a list]"_s;
    }

    void yamlRoundTripsAwkwardText()
    {
        QFETCH(QString, text);
        Questionnaire questionnaire;
        questionnaire.wave = 3;
        questionnaire.questions.append(Question{u"Q_W3"_s, text, {text, u"Other"_s}, false, {}});
        const Result<QString> yaml = QuestionnaireFromDataset::toYaml(questionnaire);
        QVERIFY(yaml.ok());
        const YAML::Node root = YAML::Load(yaml->toStdString());
        QCOMPARE(root["wave"].as<int>(), 3);
        const YAML::Node q = root["questions"]["Q_W3"];
        QCOMPARE(QString::fromStdString(q["question_body"].as<std::string>()), text);
        QCOMPARE(QString::fromStdString(q["choices"][0].as<std::string>()), text);
        QCOMPARE(q["choices"].size(), size_t(2));
        QCOMPARE(q["allow_randomization"].as<bool>(), false);
        QVERIFY(q["randomization_pattern"].IsSequence());
    }

    void syntheticWaveBecomesAQuestionnaire()
    {
        const SyntheticAtpGenerator generator({50, 5, 61, 4, 0.02});
        const Dataset ds = generator.generate();
        const Result<Questionnaire> q = QuestionnaireFromDataset::build(ds, generator.itemNames());
        QVERIFY2(q.ok(), qPrintable(q.ok() ? QString() : q.error().toString()));
        QCOMPARE(q->wave, 61);
        QCOMPARE(q->questions.size(), 5);
        for (int k = 0; k < 5; ++k) {
            const Question &question = q->questions.at(k);
            QCOMPARE(question.id, generator.itemNames().at(k));
            QVERIFY(!question.body.startsWith(question.id));
            QCOMPARE(question.choices.size(), qsizetype(3 + k % 3));
            QVERIFY(!question.choices.contains(u"Refused"_s));
        }
    }

    void demographicsDetectedFromAtpNames()
    {
        const Dataset ds = SyntheticAtpGenerator({20, 1, 34, 1, 0.0}).generate();
        DemographicMetadata meta = DemographicMetadata::detect(ds);
        QVERIFY(meta.missingRoles().isEmpty());
        QCOMPARE(meta.variable(DemographicRole::Age), u"F_AGECAT"_s);
        QCOMPARE(meta.variable(DemographicRole::Party), u"F_PARTY_FINAL"_s);
        meta.setVariable(DemographicRole::Party, u"MY_PARTY"_s);
        QCOMPARE(meta.variable(DemographicRole::Party), u"MY_PARTY"_s);
        meta.setVariable(DemographicRole::Religion, QString());
        QCOMPARE(meta.missingRoles(), QList<DemographicRole>{DemographicRole::Religion});
    }

    void demographicsPreferNewerNames_data()
    {
        QTest::addColumn<QStringList>("names");
        QTest::addColumn<DemographicRole>("role");
        QTest::addColumn<QString>("expected");
        QTest::newRow("older age name")
            << QStringList{u"F_AGECAT_FINAL"_s} << DemographicRole::Age << u"F_AGECAT_FINAL"_s;
        QTest::newRow("sex as gender")
            << QStringList{u"F_SEX_FINAL"_s} << DemographicRole::Gender << u"F_SEX_FINAL"_s;
        QTest::newRow("both education names")
            << QStringList{u"F_EDUCCAT"_s, u"F_EDUCCAT2"_s} << DemographicRole::Education << u"F_EDUCCAT2"_s;
        QTest::newRow("race combined")
            << QStringList{u"F_RACECMB"_s} << DemographicRole::Race << u"F_RACECMB"_s;
        QTest::newRow("income final") << QStringList{u"F_INCOME"_s, u"F_INCOME_FINAL"_s}
                                      << DemographicRole::Income << u"F_INCOME_FINAL"_s;
        QTest::newRow("party summary")
            << QStringList{u"F_PARTYSUM_FINAL"_s} << DemographicRole::Party << u"F_PARTYSUM_FINAL"_s;
        QTest::newRow("lower-case file")
            << QStringList{u"f_cregion"_s} << DemographicRole::Region << u"f_cregion"_s;
        QTest::newRow("absent") << QStringList{u"AGE"_s} << DemographicRole::Age << QString();
    }

    void demographicsPreferNewerNames()
    {
        QFETCH(QStringList, names);
        QFETCH(DemographicRole, role);
        QFETCH(QString, expected);
        Dataset ds;
        for (const QString &name : names) {
            Variable v;
            v.name = name;
            ds.addVariable(v);
        }
        QCOMPARE(DemographicMetadata::detect(ds).variable(role), expected);
    }
};

QTEST_GUILESS_MAIN(TestQuestionnaireFromDataset)
#include "TestQuestionnaireFromDataset.moc"
