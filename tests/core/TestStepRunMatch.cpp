#include "pipeline/StepRunMatch.h"

#include <QJsonArray>
#include <QTest>

using namespace anthology;
using namespace Qt::StringLiterals;

// Which differences between a stored plan and a new one change the run's items: those are named
// (old -> new); endpoint, rate and timeout settings, the name and the recorded invocation are not.
class TestStepRunMatch : public QObject
{
    Q_OBJECT

private:
    static QJsonObject plan()
    {
        return QJsonObject{{u"name"_s, u"demographics_config"_s},
                           {u"num_sample_response"_s, 2},
                           {u"num_processes"_s, 4},
                           {u"personas"_s, QJsonArray{u"a"_s, u"b"_s}},
                           {u"traits"_s, QJsonArray{QJsonObject{{u"key"_s, u"age"_s},
                                                                {u"choices"_s, QJsonArray{u"x"_s, u"y"_s}}}}},
                           {u"llm"_s, QJsonObject{{u"model_name"_s, u"llama-3-70b"_s},
                                                  {u"api_provider"_s, u"together.ai"_s},
                                                  {u"base_url"_s, u""_s},
                                                  {u"temperature"_s, 1.0}}},
                           {u"invocation"_s, QJsonObject{{u"arguments"_s, QJsonArray{u"survey"_s}}}}};
    }

private Q_SLOTS:
    void theSamePlanHasNoChanges() { QVERIFY(StepRunMatch::itemChanges(plan(), plan()).isEmpty()); }

    void settingsThatChangeNoItemAreAllowed()
    {
        QJsonObject wanted = plan();
        QJsonObject llm = wanted.value(u"llm"_s).toObject();
        llm.insert(u"base_url"_s, u"http://127.0.0.1:9/v1"_s);
        llm.insert(u"api_provider"_s, u"localhost"_s);
        llm.insert(u"stall_timeout"_s, 0.5);
        llm.insert(u"max_in_flight"_s, 64);
        wanted.insert(u"llm"_s, llm);
        wanted.insert(u"num_processes"_s, 16);
        wanted.remove(u"invocation"_s);
        wanted.insert(u"endpoint"_s, QJsonObject{{u"base_url"_s, u"x"_s}});
        QVERIFY(StepRunMatch::itemChanges(plan(), wanted).isEmpty());
    }

    void itemChangesAreNamedOldToNew()
    {
        QJsonObject wanted = plan();
        wanted.insert(u"num_sample_response"_s, 3);
        QJsonObject llm = wanted.value(u"llm"_s).toObject();
        llm.insert(u"temperature"_s, 0.7);
        llm.insert(u"seed"_s, 5);
        wanted.insert(u"llm"_s, llm);
        wanted.insert(u"traits"_s, QJsonArray{QJsonObject{{u"key"_s, u"age"_s},
                                                          {u"choices"_s, QJsonArray{u"x"_s, u"z"_s}}}});
        const QList<ConfigChange> changes = StepRunMatch::itemChanges(plan(), wanted);
        QStringList said;
        for (const ConfigChange &c : changes)
            said.append(u"%1: %2 -> %3"_s.arg(c.key, c.before, c.after));
        QCOMPARE(said, (QStringList{u"llm.temperature: 1 -> 0.7"_s, u"num_sample_response: 2 -> 3"_s,
                                    u"traits.0.choices: [\"x\",\"y\"] -> [\"x\",\"z\"]"_s,
                                    u"llm.seed: absent -> 5"_s}));
    }
};

QTEST_GUILESS_MAIN(TestStepRunMatch)
#include "TestStepRunMatch.moc"
