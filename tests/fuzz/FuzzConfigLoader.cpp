// libFuzzer target: the input is a primary YAML config, then (after a line "%%") one override per
// line. It is written to a scratch folder, loaded with our configs/ as fallback, validated, and the
// resolved YAML must read back to the same tree.

#include "config/ConfigLoader.h"
#include "config/ConfigSchema.h"
#include "config/YamlReader.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <cstdint>
#include <cstdlib>

using namespace anthology;
using namespace Qt::StringLiterals;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static QTemporaryDir scratch;
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype split = input.indexOf("\n%%\n");
    const QByteArray yaml = split < 0 ? input : input.left(split);
    QStringList overrides;
    if (split >= 0) {
        const QList<QByteArray> lines = input.mid(split + 4).split('\n');
        for (const QByteArray &line : lines)
            if (!line.isEmpty() && overrides.size() < 16)
                overrides.append(QString::fromUtf8(line));
    }

    QFile file(scratch.filePath(u"primary.yaml"_s));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return 0;
    file.write(yaml);
    file.close();

    ConfigLoader loader({scratch.path()});
    loader.setNow(QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5)));
    const Result<ResolvedConfig> resolved = loader.load(u"primary"_s, overrides);
    if (!resolved.ok()) {
        (void)resolved.error().toString();
        return 0;
    }
    const Result<SurveyConfig> survey = ConfigSchema::survey(*resolved);
    (void)survey.ok();

    const QString text = resolved->toYaml();
    const Result<ConfigNode> again = YamlReader::parse(text.toUtf8(), u"again"_s);
    if (!again.ok() || !(*again == resolved->root()))
        std::abort(); // toYaml must read back as the same tree
    return 0;
}
