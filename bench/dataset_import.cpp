// Writes a 10,000 x 400 synthetic ATP-like .sav, then times its import (target: < 3 s).
// Usage: dataset_import [respondents] [items] [repetitions]

#include "data/DatasetReader.h"
#include "data/SavWriter.h"
#include "data/SyntheticAtpGenerator.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

using namespace anthology;
using namespace Qt::StringLiterals;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int respondents = args.size() > 1 ? args.at(1).toInt() : 10000;
    const int items = args.size() > 2 ? args.at(2).toInt() : 390; // + QKEY, 8 demographics, weight = 400
    const int repetitions = args.size() > 3 ? args.at(3).toInt() : 3;

    QTemporaryDir dir;
    const QString path = dir.filePath(u"bench.sav"_s);
    QElapsedTimer timer;
    timer.start();
    const Dataset data = SyntheticAtpGenerator({respondents, items, 34, 1, 0.02}).generate();
    const qint64 generateMs = timer.restart();
    const Status written = SavWriter::write(data, path);
    if (!written) {
        std::fprintf(stderr, "%s\n", qPrintable(written.error().toString()));
        return 1;
    }
    const qint64 writeMs = timer.elapsed();
    std::printf("data set: %lld respondents x %lld variables, %.1f MB .sav\n",
                static_cast<long long>(data.rowCount()), static_cast<long long>(data.variableCount()),
                double(QFileInfo(path).size()) / 1e6);
    std::printf("generate: %lld ms, write: %lld ms\n", static_cast<long long>(generateMs),
                static_cast<long long>(writeMs));

    qint64 best = -1;
    for (int i = 0; i < repetitions; ++i) {
        timer.restart();
        const Result<Dataset> read = DatasetReader::read(path);
        const qint64 ms = timer.elapsed();
        if (!read) {
            std::fprintf(stderr, "%s\n", qPrintable(read.error().toString()));
            return 1;
        }
        if (read->rowCount() != data.rowCount() || read->variableCount() != data.variableCount()) {
            std::fprintf(stderr, "import returned a different shape\n");
            return 1;
        }
        best = best < 0 ? ms : std::min(best, ms);
        std::printf("import %d: %lld ms\n", i + 1, static_cast<long long>(ms));
    }
    std::printf("best import: %lld ms (target < 3000 ms)\n", static_cast<long long>(best));
    return best < 3000 ? 0 : 3;
}
