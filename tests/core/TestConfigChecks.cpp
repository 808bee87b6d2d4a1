#include "config/ConfigFieldReader.h"
#include "config/ConfigSchema.h"
#include "config/YamlReader.h"

#include <QTest>

using namespace anthology;
using namespace Qt::StringLiterals;

// What a config file says wrong without failing to parse: a misspelt key (an error naming the key
// meant), a foreign key (a warning), a double-quoted value left open (a warning naming both
// lines), an API key written in the file (refused).
class TestConfigChecks : public QObject
{
    Q_OBJECT

private:
    static Result<LlmParameters> llm(const QByteArray &yaml, QList<Error> &warnings)
    {
        Result<ConfigNode> root = YamlReader::parse(yaml, u"llm.yaml"_s);
        if (!root)
            return root.error();
        return ConfigSchema::llmParameters(*root, u"llm_parameters"_s, warnings);
    }

private Q_SLOTS:
    void closestKey_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("meant");
        QTest::newRow("swap") << u"num_procesess"_s << u"num_processes"_s;
        QTest::newRow("missing letter") << u"temperatur"_s << u"temperature"_s;
        QTest::newRow("two edits") << u"max_tokns_"_s << u"max_tokens"_s;
        QTest::newRow("far") << u"experiment"_s << QString();
        QTest::newRow("short keys are left alone") << u"sed"_s << QString();
    }
    void closestKey()
    {
        QFETCH(QString, key);
        QFETCH(QString, meant);
        const QStringList known{u"num_processes"_s, u"temperature"_s, u"max_tokens"_s, u"seed"_s, u"top_p"_s};
        QCOMPARE(ConfigFieldReader::closestKey(key, known), meant);
    }

    void aMisspeltKeyIsAnErrorAForeignOneAWarning()
    {
        QList<Error> warnings;
        const Result<LlmParameters> typo = llm("model_name: m\ntemprature: 0.2\n", warnings);
        QVERIFY(!typo);
        QCOMPARE(typo.error().line, 2);
        QCOMPARE(typo.error().key, u"llm_parameters.temprature"_s);
        QVERIFY(typo.error().message.contains(u"did you mean 'temperature'?"_s));
        warnings.clear();
        QVERIFY(llm("model_name: m\nserver_notes: rack 4\n", warnings));
        QCOMPARE(warnings.size(), 1);
        QCOMPARE(warnings.first().message, u"unknown key, ignored"_s);
    }

    void anApiKeyInTheFileIsRefused()
    {
        QList<Error> warnings;
        QVERIFY(llm("model_name: m\napi_key: \"\"\n", warnings)); // the published files leave it empty
        const Result<LlmParameters> keyed = llm("model_name: m\napi_key: sk-live-1234\n", warnings);
        QVERIFY(!keyed);
        QVERIFY(keyed.error().message.contains(u"api_key_env"_s));
        QVERIFY(!keyed.error().toString().contains(u"sk-live-1234"_s));
    }

    void theNewKeysAreRead()
    {
        QList<Error> warnings;
        const Result<LlmParameters> p = llm("model_name: m\nrequest_timeout: 30\nstall_timeout: 0.5\n"
                                            "unreachable_timeout: 10\nmax_retries: 2\n",
                                            warnings);
        QVERIFY(p);
        QCOMPARE(*p->requestTimeoutS, 30.0);
        QCOMPARE(*p->stallTimeoutS, 0.5);
        QCOMPARE(*p->unreachableTimeoutS, 10.0);
        QCOMPARE(*p->maxRetries, 2);
        QVERIFY(!llm("model_name: m\nstall_timeout: 0\n", warnings));
    }

    void anOpenQuoteOverAKeyLineWarns_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<int>("openLine"); // 0: no warning
        QTest::addColumn<int>("keyLine");
        QTest::newRow("left open") << QByteArray("a: 1\nprompt: \"Answer as yourself\ntext_rule: seed\n") << 2
                                   << 3;
        QTest::newRow("closed") << QByteArray("prompt: \"Answer\"\ntext_rule: seed\n") << 0 << 0;
        QTest::newRow("a long value over prose lines")
            << QByteArray("prompt: \"one line\n  and another\"\ntext_rule: seed\n") << 0 << 0;
        QTest::newRow("apostrophe in a plain value") << QByteArray("q: What's \"this\"\nb: 1\n") << 0 << 0;
        QTest::newRow("quote inside a block scalar")
            << QByteArray("q: |\n  He said \"hi\n  there\nb: 1\n") << 0 << 0;
        QTest::newRow("escaped quote") << QByteArray("q: \"a \\\" b\nc: d\"\n") << 1 << 2;
        QTest::newRow("in a comment") << QByteArray("# say \"hi\nb: 1\n") << 0 << 0;
    }
    void anOpenQuoteOverAKeyLineWarns()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(int, openLine);
        QFETCH(int, keyLine);
        const QList<Error> w = YamlReader::openQuoteWarnings(yaml, u"f.yaml"_s);
        if (openLine == 0) {
            QVERIFY2(w.isEmpty(), w.isEmpty() ? "" : qPrintable(w.first().toString()));
            return;
        }
        QCOMPARE(w.size(), 1);
        QCOMPARE(w.first().line, openLine);
        QVERIFY2(
            w.first().message.contains(u"opened on line %1 runs on to line %2"_s.arg(openLine).arg(keyLine)),
            qPrintable(w.first().message));
    }
};

QTEST_GUILESS_MAIN(TestConfigChecks)
#include "TestConfigChecks.moc"
