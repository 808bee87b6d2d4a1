// Times a data set's way into and out of a project file: writes a 10,000 x 400 synthetic
// ATP-like .sav, imports it into a fresh project (read + one transaction), then loads it back
// whole and as a few columns.
// Usage: dataset_store [respondents] [items] [repetitions]

#include "data/DatasetStore.h"
#include "data/SavWriter.h"
#include "data/SyntheticAtpGenerator.h"
#include "project/ProjectFile.h"

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
    const QString sav = dir.filePath(u"bench.sav"_s);
    const SyntheticAtpGenerator generator({respondents, items, 34, 1, 0.02});
    if (Status s = SavWriter::write(generator.generate(), sav); !s) {
        std::fprintf(stderr, "%s\n", qPrintable(s.error().toString()));
        return 1;
    }
    std::printf("%d respondents x %d variables, %.1f MB .sav\n", respondents, items + 10,
                double(QFileInfo(sav).size()) / 1e6);

    qint64 bestImport = -1, bestLoad = -1, bestSubset = -1;
    QElapsedTimer timer;
    for (int i = 0; i < repetitions; ++i) {
        const QString path = dir.filePath(u"bench%1.anthology"_s.arg(i));
        auto project = ProjectFile::create(path);
        if (!project) {
            std::fprintf(stderr, "%s\n", qPrintable(project.error().toString()));
            return 1;
        }
        DatasetStore store(**project);
        timer.start();
        auto info = store.importFile(sav);
        const qint64 importMs = timer.restart();
        if (!info) {
            std::fprintf(stderr, "%s\n", qPrintable(info.error().toString()));
            return 1;
        }
        auto all = store.load(info->name);
        const qint64 loadMs = timer.restart();
        auto some = store.load(info->name, generator.itemNames().mid(0, 4));
        const qint64 subsetMs = timer.elapsed();
        if (!all || !some || all->variableCount() != items + 10) {
            std::fprintf(stderr, "load failed\n");
            return 1;
        }
        std::printf("run %d: import %lld ms, load all %lld ms, load 4 items %lld ms, project %.1f MB\n",
                    i + 1, static_cast<long long>(importMs), static_cast<long long>(loadMs),
                    static_cast<long long>(subsetMs), double(QFileInfo(path).size()) / 1e6);
        bestImport = bestImport < 0 ? importMs : std::min(bestImport, importMs);
        bestLoad = bestLoad < 0 ? loadMs : std::min(bestLoad, loadMs);
        bestSubset = bestSubset < 0 ? subsetMs : std::min(bestSubset, subsetMs);
    }
    std::printf("best: import %lld ms, load all %lld ms, load 4 items %lld ms\n",
                static_cast<long long>(bestImport), static_cast<long long>(bestLoad),
                static_cast<long long>(bestSubset));
    return 0;
}
