#include "TempProject.h"

#include "config/ConfigLoader.h"
#include "config/ConfigNode.h"
#include "config/YamlReader.h"
#include "pipeline/ConfigComposition.h"

#include <QTest>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

// A composed step config: its arguments both ways, the keys and groups it offers (read from
// the config itself), and the YAML it saves.
class TestConfigComposition : public QObject
{
    Q_OBJECT

    static const ConfigComposition::Key *find(const QList<ConfigComposition::Key> &keys, const QString &key)
    {
        for (const ConfigComposition::Key &k : keys)
            if (k.key == key)
                return &k;
        return nullptr;
    }

private slots:
    void argumentsRoundTrip()
    {
        const QStringList args{u"survey"_s, u"atp"_s, u"survey_config"_s, u"--config-dir"_s, u"/abs/dir"_s,
                               u"personas=na_max/qa_mcq"_s, u"llm_parameters.temperature=0.7"_s,
                               u"format/mcq_symbol=number"_s, u"+llm_parameters.chat=true"_s};
        Result<ConfigComposition> c = ConfigComposition::fromArguments(args);
        QVERIFY(c);
        QCOMPARE(c->kind(), StepKind::SurveyAtp);
        QCOMPARE(c->configDirs(), QStringList{u"/abs/dir"_s});
        QCOMPARE(c->stepValue(u"personas"_s), u"na_max/qa_mcq"_s);
        QCOMPARE(c->overrideValue(u"llm_parameters.chat"_s), u"true"_s);
        QCOMPARE(c->arguments(), args);

        // The launcher's options are not the config's; --config-dir=D is the same as two words.
        Result<ConfigComposition> d = ConfigComposition::fromArguments(
            {u"study"_s, u"--config-dir=/x"_s, u"--in-flight"_s, u"dataset=W99"_s, u"metric=tv"_s, u"seed=3"_s});
        QVERIFY(d);
        QCOMPARE(d->configName(), u"study_config"_s);
        QCOMPARE(d->configDirs(), QStringList{u"/x"_s});
        QCOMPARE(d->stepValues().size(), 3);
        QVERIFY(d->overrides().isEmpty());

        QVERIFY(!ConfigComposition::fromArguments({u"run"_s, u"survey"_s}));
    }

    void commandLineQuotesForAShell()
    {
        QCOMPARE(ConfigComposition::commandLine({u"survey"_s, u"atp"_s, u"consistency_prompt=Don't stop"_s,
                                                 u"trait_of_interest=[age, income]"_s}),
                 u"anthology survey atp 'consistency_prompt=Don'\\''t stop' 'trait_of_interest=[age, income]'"_s);
    }

    void keysComeFromTheConfig()
    {
        ConfigComposition c(StepKind::SurveyAtp);
        c.setOverride(u"num_processes"_s, u"8"_s);
        Result<QList<ConfigComposition::Key>> keys = c.keys();
        QVERIFY(keys);
        const ConfigComposition::Key *inFlight = find(*keys, u"num_processes"_s);
        QVERIFY(inFlight);
        QCOMPARE(inFlight->type, ConfigComposition::Key::Type::Int);
        QCOMPARE(inFlight->defaultValue.toInt(), 4);
        QCOMPARE(inFlight->value.toInt(), 8);
        QVERIFY(inFlight->overridden);
        QCOMPARE(inFlight->comment, u"requests in flight at once"_s);
        QVERIFY(inFlight->source.contains(u"survey_config.yaml:"_s));
        const ConfigComposition::Key *temperature = find(*keys, u"llm_parameters.temperature"_s);
        QVERIFY(temperature && temperature->type == ConfigComposition::Key::Type::Double);
        QVERIFY(find(*keys, u"questionnaire.example.in_series"_s));
        QVERIFY(!find(*keys, u"hydra.run.dir"_s));
        QVERIFY(!find(*keys, u"questionnaire.example.questions.NEIGHBOR1_EX.question_body"_s));
        const ConfigComposition::Key *traits = find(*keys, u"trait_of_interest"_s);
        QVERIFY(traits && traits->type == ConfigComposition::Key::Type::List);

        Result<QList<ConfigComposition::Group>> groups = c.groups();
        QVERIFY(groups);
        bool llm = false;
        for (const ConfigComposition::Group &g : *groups)
            if (g.group == u"llm_parameters"_s) {
                llm = true;
                QCOMPARE(g.option, u"vllm_localhost"_s);
                QVERIFY(g.options.contains(u"openai_chat"_s));
            }
        QVERIFY(llm);
    }

    void savedYamlResolvesToTheSameTree()
    {
        TempProject dir;
        ConfigComposition c(StepKind::SurveyAtp);
        c.setOverride(u"num_processes"_s, u"8"_s); // a top-level key, not a group
        c.setOverride(u"special_prompt"_s, u"no_prompt"_s);
        c.setOverride(u"llm_parameters.max_tokens"_s, u"3"_s);
        Result<ResolvedConfig> before = c.resolve();
        QVERIFY(before);
        QVERIFY(c.save(dir.dir(), u"composed"_s));
        QCOMPARE(c.configName(), u"composed"_s);
        QVERIFY(c.overrides().isEmpty());
        Result<ResolvedConfig> after = c.resolve();
        QVERIFY2(after, qPrintable(after ? QString() : after.error().toString()));
        ConfigNode a = before->root(), b = after->root();
        for (const QString &clock : {u"hydra"_s, u"run_dir"_s, u"output_time_stamp"_s, u"output_data_name"_s}) {
            a.remove(clock);
            b.remove(clock);
        }
        QVERIFY(a == b);
        Result<ConfigNode> saved = YamlReader::parseFile(dir.dir() + u"/composed.yaml"_s);
        QVERIFY(saved);
        QCOMPARE(saved->child(u"num_processes"_s)->text(), u"8"_s);
    }
};

QTEST_GUILESS_MAIN(TestConfigComposition)
#include "TestConfigComposition.moc"
