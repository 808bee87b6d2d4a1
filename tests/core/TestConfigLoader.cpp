#include "TestPaths.h"

#include "config/ConfigInterpolator.h"
#include "config/ConfigLoader.h"
#include "config/ConfigSchema.h"
#include "config/YamlReader.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace anthology;
using namespace Qt::StringLiterals;

namespace {

const QString kLayout = QStringLiteral(ANTHOLOGY_TEST_DATA_DIR "/configs/layout");
const QString kAbsent = QStringLiteral("<absent>");

// A value as one line of text, so table rows can state what they expect.
QString textOf(const ResolvedConfig &config, const QString &key)
{
    const ConfigNode *node = config.node(key);
    if (!node)
        return kAbsent;
    if (node->isNull())
        return u"null"_s;
    if (node->isScalar())
        return node->text();
    if (node->isSequence()) {
        QStringList parts;
        for (const ConfigNode &item : node->items())
            parts.append(item.isScalar() ? item.text() : u"..."_s);
        return u'[' + parts.join(u", "_s) + u']';
    }
    return u'{' + node->keys().join(u", "_s) + u'}';
}

ConfigLoader layoutLoader()
{
    ConfigLoader loader({kLayout});
    loader.setNow(QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5)));
    return loader;
}

void writeFile(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text);
}

} // namespace

class TestConfigLoader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void composesDefaults_data()
    {
        QTest::addColumn<QString>("config");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("expected");
        QTest::newRow("option list merged in order") << u"composed"_s << u"placed.value"_s << u"4"_s;
        QTest::newRow("first option's other keys kept")
            << u"composed"_s << u"placed.only_in_plain"_s << u"yes"_s;
        QTest::newRow("list from the later option") << u"composed"_s << u"placed.list"_s << u"[a, b]"_s;
        QTest::newRow("group@package beats _group_ header")
            << u"composed"_s << u"elsewhere.value"_s << u"2"_s;
        QTest::newRow("_global_ header lands at the root") << u"composed"_s << u"extra_flag"_s << u"true"_s;
        QTest::newRow("_self_ after a group wins") << u"composed"_s << u"num_processes"_s << u"3"_s;
        QTest::newRow("optional missing option skipped") << u"composed"_s << u"missing_group"_s << kAbsent;
        QTest::newRow("group: null selects nothing") << u"composed"_s << u"llm_parameters"_s << kAbsent;
        QTest::newRow("_self_ first loses") << u"self_first"_s << u"num_processes"_s << u"9"_s;
        QTest::newRow("_self_ absent goes last") << u"self_absent"_s << u"num_processes"_s << u"3"_s;
        QTest::newRow("group/sub lands at group.sub")
            << u"run_config"_s << u"questionnaire.ATP.questions.PARK1_W1.choices.2"_s << u"Rarely"_s;
        QTest::newRow("questionnaire run keys at their path")
            << u"run_config"_s << u"questionnaire.ATP.in_series"_s << u"true"_s;
        QTest::newRow("fallback to our configs for format")
            << u"run_config"_s << u"format.choice_format.left_symbol"_s << u"("_s;
        QTest::newRow("fallback to our configs for backstories")
            << u"run_config"_s << u"backstories.backstory_type"_s << u"self_generated"_s;
        QTest::newRow("user folder wins for llm_parameters")
            << u"run_config"_s << u"llm_parameters.model_name"_s << u"test-model"_s;
        QTest::newRow("defaults removed") << u"run_config"_s << u"defaults"_s << kAbsent;
        QTest::newRow("hydra node removed") << u"run_config"_s << u"hydra"_s << kAbsent;
        QTest::newRow("interpolated key") << u"run_config"_s << u"save_dir"_s << u"outputs/W1"_s;
        QTest::newRow("interpolated path")
            << u"run_config"_s << u"survey_demographics_metadata_path"_s << u"data/W1_metadata.json"_s;
        QTest::newRow("now") << u"run_config"_s << u"output_time_stamp"_s << u"2026-01-02_03-04-05"_s;
        QTest::newRow("hydra output dir from hydra.run.dir")
            << u"run_config"_s << u"run_dir"_s << u"outputs/W1/2026-01-02/03-04-05"_s;
        QTest::newRow("absolute key") << u"composed"_s << u"nested.b"_s << u"1"_s;
        QTest::newRow("relative key") << u"composed"_s << u"nested.c"_s << u"1"_s;
        QTest::newRow("string interpolation") << u"composed"_s << u"nested.label"_s << u"n1-composed"_s;
    }

    void composesDefaults()
    {
        QFETCH(QString, config);
        QFETCH(QString, key);
        QFETCH(QString, expected);
        const Result<ResolvedConfig> loaded = layoutLoader().load(config, {});
        QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().toString()));
        QCOMPARE(textOf(*loaded, key), expected);
    }

    void appliesOverrides_data()
    {
        QTest::addColumn<QString>("config");
        QTest::addColumn<QStringList>("overrides");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("expected");
        QTest::newRow("key=value before interpolation")
            << u"run_config"_s << QStringList{u"wave=2"_s} << u"save_dir"_s << u"outputs/W2"_s;
        QTest::newRow("a.b.c=value") << u"run_config"_s << QStringList{u"questionnaire.ATP.in_series=false"_s}
                                     << u"questionnaire.ATP.in_series"_s << u"false"_s;
        QTest::newRow("float value") << u"run_config"_s << QStringList{u"llm_parameters.temperature=0.7"_s}
                                     << u"llm_parameters.temperature"_s << u"0.7"_s;
        QTest::newRow("group=option") << u"run_config"_s << QStringList{u"llm_parameters=chat_profile"_s}
                                      << u"llm_parameters.model_name"_s << u"test-chat"_s;
        QTest::newRow("group/sub=option") << u"run_config"_s << QStringList{u"format/mcq_symbol=lowercase"_s}
                                          << u"format.mcq_symbol.symbol"_s << u"lowercase"_s;
        QTest::newRow("group/sub=other file")
            << u"run_config"_s << QStringList{u"questionnaire/ATP=W1_analysis"_s}
            << u"questionnaire.ATP.human_data_path"_s << u"data/W1.sav"_s;
        QTest::newRow("reselected group drops the old content")
            << u"run_config"_s << QStringList{u"questionnaire/ATP=W1_analysis"_s}
            << u"questionnaire.ATP.questions.BUS2_W1"_s << kAbsent;
        QTest::newRow("option to a header file")
            << u"composed"_s << QStringList{u"placed=explicit"_s} << u"custom.place.value"_s << u"1"_s;
        QTest::newRow("+group=option adds an entry")
            << u"self_absent"_s << QStringList{u"+placed=plain"_s} << u"placed.value"_s << u"3"_s;
        QTest::newRow("group=[a,b]") << u"self_absent"_s << QStringList{u"+placed=[second,plain]"_s}
                                     << u"placed.value"_s << u"3"_s;
        QTest::newRow("+key=list") << u"run_config"_s << QStringList{u"+new_key=[1,2]"_s} << u"new_key"_s
                                   << u"[1, 2]"_s;
        QTest::newRow("+a.b creates maps")
            << u"run_config"_s << QStringList{u"+brand.new=x"_s} << u"brand.new"_s << u"x"_s;
        QTest::newRow("++key forces an existing key")
            << u"run_config"_s << QStringList{u"++debug=true"_s} << u"debug"_s << u"true"_s;
        QTest::newRow("++key adds a new key")
            << u"run_config"_s << QStringList{u"++fresh=1"_s} << u"fresh"_s << u"1"_s;
        QTest::newRow("~key deletes")
            << u"run_config"_s << QStringList{u"~trait_of_interest"_s} << u"trait_of_interest"_s << kAbsent;
        QTest::newRow("~group deletes the defaults entry")
            << u"run_config"_s << QStringList{u"~backstories"_s} << u"backstories"_s << kAbsent;
        QTest::newRow("group=null deletes the entry")
            << u"run_config"_s << QStringList{u"llm_parameters=null"_s} << u"llm_parameters"_s << kAbsent;
        QTest::newRow("x=null") << u"run_config"_s << QStringList{u"save_dir=null"_s} << u"save_dir"_s
                                << u"null"_s;
        QTest::newRow("quoted string") << u"run_config"_s << QStringList{u"output_data_name='a: b'"_s}
                                       << u"output_data_name"_s << u"a: b"_s;
        QTest::newRow("empty value is the empty string")
            << u"run_config"_s << QStringList{u"output_data_name="_s} << u"output_data_name"_s << QString();
        QTest::newRow("hydra.run.dir sets the output dir")
            << u"run_config"_s << QStringList{u"hydra.run.dir=out/x"_s} << u"run_dir"_s << u"out/x"_s;
        QTest::newRow("new hydra key needs no +")
            << u"run_config"_s << QStringList{u"hydra.job.chdir=true"_s} << u"hydra"_s << kAbsent;
        QTest::newRow("later override wins")
            << u"run_config"_s << QStringList{u"freq=1"_s, u"freq=2"_s} << u"freq"_s << u"2"_s;
        QTest::newRow("override with interpolation")
            << u"run_config"_s << QStringList{u"output_data_name=${save_dir}"_s} << u"output_data_name"_s
            << u"outputs/W1"_s;
    }

    void appliesOverrides()
    {
        QFETCH(QString, config);
        QFETCH(QStringList, overrides);
        QFETCH(QString, key);
        QFETCH(QString, expected);
        const Result<ResolvedConfig> loaded = layoutLoader().load(config, overrides);
        QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().toString()));
        QCOMPARE(textOf(*loaded, key), expected);
    }

    void rejectsBadOverrides_data()
    {
        QTest::addColumn<QStringList>("overrides");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("message");
        QTest::newRow("missing key") << QStringList{u"nope=1"_s} << u"command line, argument 1"_s << u"nope"_s
                                     << u"use +nope=value"_s;
        QTest::newRow("missing parent")
            << QStringList{u"debug=true"_s, u"a.b=1"_s} << u"command line, argument 2"_s << u"a.b"_s
            << u"key 'a' not found"_s;
        QTest::newRow("+ on existing") << QStringList{u"+debug=true"_s} << u"command line, argument 1"_s
                                       << u"debug"_s << u"already exists"_s;
        QTest::newRow("~ on missing") << QStringList{u"~nope"_s} << u"command line, argument 1"_s << u"nope"_s
                                      << u"nothing to delete"_s;
        QTest::newRow("unknown option")
            << QStringList{u"format/mcq_symbol=greek"_s} << u"command line, argument 1"_s
            << u"format/mcq_symbol"_s << u"format/mcq_symbol/greek.yaml"_s;
        QTest::newRow("+group already there")
            << QStringList{u"+llm_parameters=chat_profile"_s} << u"command line, argument 1"_s
            << u"llm_parameters"_s << u"already in the defaults list"_s;
        QTest::newRow("group not in defaults")
            << QStringList{u"extras=global_opts"_s} << u"command line, argument 1"_s << u"extras"_s
            << u"use +extras=option"_s;
        QTest::newRow("no equals sign") << QStringList{u"justakey"_s} << u"command line, argument 1"_s
                                        << QString() << u"expected key=value"_s;
        QTest::newRow("empty key") << QStringList{u"=3"_s} << u"command line, argument 1"_s << QString()
                                   << u"expected key=value"_s;
        QTest::newRow("scalar parent") << QStringList{u"+debug.deeper=1"_s} << u"command line, argument 1"_s
                                       << u"debug.deeper"_s << u"not a map"_s;
    }

    void rejectsBadOverrides()
    {
        QFETCH(QStringList, overrides);
        QFETCH(QString, file);
        QFETCH(QString, key);
        QFETCH(QString, message);
        const Result<ResolvedConfig> loaded = layoutLoader().load(u"run_config"_s, overrides);
        QVERIFY(!loaded.ok());
        QCOMPARE(loaded.error().file, file);
        QCOMPARE(loaded.error().key, key);
        QVERIFY2(loaded.error().message.contains(message), qPrintable(loaded.error().toString()));
    }

    void reportsErrorPositions_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("message");
        QTest::newRow("missing target")
            << "a: 1\nb: ${nothere}\n"_ba << 2 << 4 << u"b"_s << u"'nothere' not found"_s;
        QTest::newRow("missing nested target")
            << "a:\n  b: x ${a.c} y\n"_ba << 2 << 6 << u"a.b"_s << u"'a.c' not found"_s;
        QTest::newRow("cycle") << "a: ${b}\nb: ${a}\n"_ba << 1 << 4 << u"a"_s << u"cycle"_s;
        QTest::newRow("self reference") << "a:\n  b: ${a}\n"_ba << 2 << 6 << u"a.b"_s << u"itself"_s;
        QTest::newRow("relative above root") << "a: ${...x}\n"_ba << 1 << 4 << u"a"_s << u"above the root"_s;
        QTest::newRow("unknown resolver")
            << "a: ${shout:x}\n"_ba << 1 << 4 << u"a"_s << u"unknown resolver"_s;
        QTest::newRow("unclosed") << "a: x${b\n"_ba << 1 << 4 << u"a"_s << u"expected '}'"_s;
        QTest::newRow("map inside a string")
            << "m: {k: 1}\na: x${m}\n"_ba << 2 << 4 << u"a"_s << u"expected a scalar"_s;
        QTest::newRow("duplicate key") << "a: 1\na: 2\n"_ba << 2 << 1 << QString() << u"duplicate key 'a'"_s;
        QTest::newRow("defaults not a list")
            << "defaults: 3\n"_ba << 1 << 11 << u"defaults"_s << u"expected a list"_s;
        QTest::newRow("defaults entry shape") << "defaults:\n  - a: x\n    b: y\n"_ba << 2 << 5
                                              << u"defaults"_s << u"expected `- group: option`"_s;
        QTest::newRow("missing option")
            << "defaults:\n  - nogroup: nothing\n"_ba << 2 << 5 << u"nogroup"_s << u"nogroup/nothing.yaml"_s;
        QTest::newRow("bad keyword") << "defaults:\n  - sometimes g: x\n"_ba << 2 << 5 << u"defaults"_s
                                     << u"expected 'optional' or 'override'"_s;
        QTest::newRow("top level list") << "- 1\n- 2\n"_ba << 1 << 1 << QString() << u"expected a map"_s;
        QTest::newRow("broken flow") << "a: [1, 2\nb: 3\n"_ba << 2 << 2 << QString() << u"invalid YAML"_s;
    }

    void reportsErrorPositions()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, key);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"primary.yaml"_s);
        writeFile(path, yaml);
        const Result<ResolvedConfig> loaded = ConfigLoader({dir.path()}, false).load(u"primary"_s, {});
        QVERIFY(!loaded.ok());
        const Error &e = loaded.error();
        QVERIFY2(e.message.contains(message), qPrintable(e.toString()));
        QCOMPARE(e.file, path);
        QCOMPARE(e.line, line);
        QCOMPARE(e.column, column);
        QCOMPARE(e.key, key);
    }

    void boundsExpansion_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("message");
        QByteArray doubling = "a0: xxxxxxxxxxxxxxxx\n";
        for (int i = 1; i < 40; ++i)
            doubling += "a" + QByteArray::number(i) + ": ${a" + QByteArray::number(i - 1) + "}${a" +
                        QByteArray::number(i - 1) + "}\n";
        QTest::newRow("string doubling") << doubling << u"longer than"_s;
        QByteArray copies = "b0: [1, 2, 3, 4]\n";
        for (int i = 1; i < 40; ++i)
            copies += "b" + QByteArray::number(i) + ":\n  - ${b" + QByteArray::number(i - 1) + "}\n  - ${b" +
                      QByteArray::number(i - 1) + "}\n";
        QTest::newRow("list doubling") << copies << u"more than"_s;
        QByteArray aliases = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
        for (int i = 1; i < 10; ++i)
            aliases += "l" + QByteArray::number(i) + ": &l" + QByteArray::number(i) + " [*l" +
                       QByteArray::number(i - 1) + ", *l" + QByteArray::number(i - 1) + ", *l" +
                       QByteArray::number(i - 1) + ", *l" + QByteArray::number(i - 1) + ", *l" +
                       QByteArray::number(i - 1) + "]\n";
        QTest::newRow("alias bomb") << aliases << u"more than"_s;
    }

    void boundsExpansion()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, message);
        QTemporaryDir dir;
        writeFile(dir.filePath(u"p.yaml"_s), yaml);
        const Result<ResolvedConfig> loaded = ConfigLoader({dir.path()}, false).load(u"p"_s, {});
        QVERIFY(!loaded.ok());
        QVERIFY2(loaded.error().message.contains(message), qPrintable(loaded.error().toString()));
    }

    void formatsTime_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("expected");
        QTest::newRow("date") << u"%Y-%m-%d"_s << u"2026-01-02"_s;
        QTest::newRow("time") << u"%H-%M-%S"_s << u"15-04-05"_s;
        QTest::newRow("12 hour") << u"%I%p"_s << u"03PM"_s;
        QTest::newRow("names") << u"%a %b %y"_s << u"Fri Jan 26"_s;
        QTest::newRow("day of year and percent") << u"%j %%"_s << u"002 %"_s;
        QTest::newRow("unknown code kept") << u"%Q"_s << u"%Q"_s;
    }

    void formatsTime()
    {
        QFETCH(QString, format);
        QFETCH(QString, expected);
        QCOMPARE(ConfigInterpolator::formatTime(QDateTime(QDate(2026, 1, 2), QTime(15, 4, 5)), format),
                 expected);
    }

    void callerSetsTheOutputDir()
    {
        ConfigLoader loader = layoutLoader();
        loader.setOutputDir(u"/tmp/run-7"_s);
        const Result<ResolvedConfig> loaded = loader.load(u"run_config"_s, {});
        QVERIFY(loaded.ok());
        QCOMPARE(textOf(*loaded, u"run_dir"_s), u"/tmp/run-7"_s);
        QCOMPARE(loaded->outputDir(), u"/tmp/run-7"_s);
    }

    void outputDirDefaultsToDateAndTime()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(u"p.yaml"_s), "out: ${hydra:runtime.output_dir}\nname: ${hydra:job.name}\n");
        ConfigLoader loader({dir.path()}, false);
        loader.setNow(QDateTime(QDate(2026, 3, 4), QTime(5, 6, 7)));
        const Result<ResolvedConfig> loaded = loader.load(u"p"_s, {});
        QVERIFY(loaded.ok());
        QCOMPARE(textOf(*loaded, u"out"_s), u"outputs/2026-03-04/05-06-07"_s);
        QCOMPARE(textOf(*loaded, u"name"_s), u"p"_s);
    }

    void wholeInterpolationKeepsType()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(u"p.yaml"_s),
                  "n: 5\nm: {a: [1, 2]}\ncopy_n: ${n}\ncopy_m: ${m}\ntext: \"${n}\"\n");
        const Result<ResolvedConfig> loaded = ConfigLoader({dir.path()}, false).load(u"p"_s, {});
        QVERIFY(loaded.ok());
        QCOMPARE(loaded->value(u"copy_n"_s), QVariant(5LL));
        QCOMPARE(textOf(*loaded, u"copy_m.a"_s), u"[1, 2]"_s);
        QCOMPARE(loaded->value(u"text"_s), QVariant(u"5"_s));
    }

    void tracksSources()
    {
        const Result<ResolvedConfig> loaded =
            layoutLoader().load(u"run_config"_s, {u"debug=true"_s, u"wave=3"_s});
        QVERIFY(loaded.ok());
        const SourceLocation body = loaded->source(u"questionnaire.ATP.questions.PARK1_W1.question_body"_s);
        QCOMPARE(body.file, kLayout + u"/questionnaire/ATP/W1_questions.yaml"_s);
        QCOMPARE(body.line, 4);
        QCOMPARE(body.column, 20);
        QCOMPARE(loaded->source(u"wave"_s).file, u"command line, argument 2"_s);
        QCOMPARE(loaded->source(u"debug"_s).file, u"command line, argument 1"_s);
        QVERIFY(loaded->source(u"format.mcq_symbol.symbol"_s)
                    .file.endsWith(u"configs/surveys/format/mcq_symbol/uppercase.yaml"_s));
        const QHash<QString, SourceLocation> all = loaded->sources();
        QCOMPARE(all.value(u"num_processes"_s).file, kLayout + u"/run_config.yaml"_s);
        QCOMPARE(all.value(u"num_processes"_s).line, 22);
    }

    void keepsFileOrderAndRoundTripsYaml_data()
    {
        QTest::addColumn<QString>("config");
        QTest::newRow("run") << u"run_config"_s;
        QTest::newRow("composed") << u"composed"_s;
        QTest::newRow("demographics") << u"demographics_run"_s;
    }

    void keepsFileOrderAndRoundTripsYaml()
    {
        QFETCH(QString, config);
        const Result<ResolvedConfig> loaded = layoutLoader().load(config, {});
        QVERIFY(loaded.ok());
        const QString yaml = loaded->toYaml();
        const Result<ConfigNode> again = YamlReader::parse(yaml.toUtf8(), u"again"_s);
        QVERIFY2(again.ok(), qPrintable(again.ok() ? yaml : again.error().toString() + u'\n' + yaml));
        QVERIFY(*again == loaded->root());
        QCOMPARE(again->keys(), loaded->keys());
    }

    void ordersTopLevelKeysByComposition()
    {
        const Result<ResolvedConfig> loaded = layoutLoader().load(u"run_config"_s, {});
        QVERIFY(loaded.ok());
        const QStringList keys = loaded->keys();
        QCOMPARE(keys.mid(0, 5), (QStringList{u"backstories"_s, u"questionnaire"_s, u"special_prompt"_s,
                                              u"format"_s, u"llm_parameters"_s}));
        QCOMPARE(keys.at(5), u"run_dir"_s);
        QCOMPARE(loaded->childKeys(u"questionnaire.ATP.questions"_s),
                 (QStringList{u"PARK1_W1"_s, u"BUS2_W1"_s}));
    }

    void searchPathEndsWithOurConfigs()
    {
        const ConfigLoader loader({kLayout});
        QCOMPARE(loader.searchDirs().first(), kLayout);
        QVERIFY(loader.searchDirs().contains(QDir::cleanPath(QStringLiteral(ANTHOLOGY_CONFIGS_DIR))));
        QCOMPARE(ConfigSchema::defaultConfigDir(), QDir::cleanPath(QStringLiteral(ANTHOLOGY_CONFIGS_DIR)));
    }

    void primaryByRelativePathAndAbsolutePath()
    {
        const ConfigLoader loader({QStringLiteral(ANTHOLOGY_CONFIGS_DIR)});
        QVERIFY(loader.load(u"surveys/survey_config"_s, {}).ok());
        QVERIFY(
            loader.load(QStringLiteral(ANTHOLOGY_CONFIGS_DIR "/surveys/demographics_config.yaml"), {}).ok());
        const Result<ResolvedConfig> missing = loader.load(u"no_such_config"_s, {});
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().message.contains(u"no primary config 'no_such_config'"_s));
    }

    // Inputs the fuzzer (tests/fuzz/FuzzConfigLoader.cpp) once broke: YAML, then "%%", then overrides.
    void fuzzRegressionsRoundTrip_data()
    {
        QTest::addColumn<QString>("file");
        const QDir dir(QStringLiteral(ANTHOLOGY_TEST_DATA_DIR "/configs/fuzz"));
        const QStringList files = dir.entryList(QDir::Files, QDir::Name);
        for (const QString &name : files)
            QTest::newRow(qPrintable(name)) << dir.filePath(name);
    }

    void fuzzRegressionsRoundTrip()
    {
        QFETCH(QString, file);
        QFile in(file);
        QVERIFY(in.open(QIODevice::ReadOnly));
        const QByteArray input = in.readAll();
        const qsizetype split = input.indexOf("\n%%\n");
        QStringList overrides;
        if (split >= 0)
            for (const QByteArray &line : input.mid(split + 4).split('\n'))
                if (!line.isEmpty())
                    overrides.append(QString::fromUtf8(line));
        QTemporaryDir dir;
        writeFile(dir.filePath(u"primary.yaml"_s), split < 0 ? input : input.left(split));
        const Result<ResolvedConfig> loaded = ConfigLoader({dir.path()}).load(u"primary"_s, overrides);
        if (!loaded.ok())
            return; // an error is a fine outcome; crashing or a lossy round trip is not
        (void)ConfigSchema::survey(*loaded);
        const QString yaml = loaded->toYaml();
        const Result<ConfigNode> again = YamlReader::parse(yaml.toUtf8(), u"again"_s);
        QVERIFY2(again.ok(), qPrintable(again.ok() ? QString() : again.error().toString() + u'\n' + yaml));
        QVERIFY2(*again == loaded->root(), qPrintable(yaml));
    }

    void hydraGroupsAreWarned()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(u"p.yaml"_s),
                  "defaults:\n  - _self_\n  - override hydra/job_logging: disabled\nv: 1\n");
        const Result<ResolvedConfig> loaded = ConfigLoader({dir.path()}, false).load(u"p"_s, {});
        QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().toString()));
        QCOMPARE(loaded->warnings().size(), 1);
        QCOMPARE(loaded->warnings().first().line, 3);
        QCOMPARE(loaded->warnings().first().key, u"hydra/job_logging"_s);
    }

    void nestedDefaultsAreWarned()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(u"p.yaml"_s), "defaults:\n  - g: o\n");
        writeFile(dir.filePath(u"g/o.yaml"_s), "defaults:\n  - h: x\nv: 1\n");
        const Result<ResolvedConfig> loaded = ConfigLoader({dir.path()}, false).load(u"p"_s, {});
        QVERIFY(loaded.ok());
        QCOMPARE(textOf(*loaded, u"g.v"_s), u"1"_s);
        QCOMPARE(loaded->warnings().size(), 1);
        QCOMPARE(loaded->warnings().first().line, 1); // the nested `defaults:` key
        QCOMPARE(loaded->warnings().first().key, u"defaults"_s);
    }
};

QTEST_GUILESS_MAIN(TestConfigLoader)
#include "TestConfigLoader.moc"
