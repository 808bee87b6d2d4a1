// Time to switch question and to switch subgroup in the Results tab on a synthetic study
// (default 10,000 personas x 20 questions, two runs, one with logprobs): the real ResultsPanel
// offscreen over a real project file. Usage: results_switch [personas] [questions] [keep.anthology]

#include "ResultsPanel.h"
#include "ResultsViews.h"
#include "ui/ResultsFixture.h"
#include "core/PersonaFixture.h"

#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QListWidget>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>

using namespace anthology;
using namespace anthology::test;
using namespace anthology::ui;

namespace {

double median(QList<double> v)
{
    std::sort(v.begin(), v.end());
    return v.isEmpty() ? 0.0 : v[v.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int personas = argc > 1 ? std::atoi(argv[1]) : 10000;
    const int questions = argc > 2 ? std::atoi(argv[2]) : 20;
    QTemporaryDir dir;
    const QString path = argc > 3 ? QString::fromLocal8Bit(argv[3]) : dir.filePath(QStringLiteral("bench.anthology"));
    QTextStream out(stdout);

    QElapsedTimer timer;
    timer.start();
    Result<SyntheticStudy> study = syntheticStudy(path, personas, questions);
    if (!study) {
        out << "setup failed: " << study.error().toString() << Qt::endl;
        return 1;
    }
    {
        auto project = ProjectFile::open(path, ProjectFile::Mode::ReadWrite);
        if (!project)
            return 1;
        auto cycling = writeSurveyRun(
            **project, QStringLiteral("cycling"), *study, personas,
            [](int p, int q, int k) { return (p * 7 + q * 3) % 11 == 0 ? 0 : (p + q) % k + 1; },
            [](int p, int q, int k) {
                QList<double> d(k, 0.4 / std::max(1, k - 1));
                d[(p + q) % k] = 0.6;
                return d;
            });
        auto leaning = writeSurveyRun(**project, QStringLiteral("leaning"), *study, personas,
                                      [](int p, int q, int k) { return std::min(k, 1 + (p % 3 == 0) + (q % 2)); });
        if (!cycling || !leaning)
            return 1;
        // The personas' demographic survey, for the Personas tab.
        QList<QPair<QString, int>> surveyed;
        for (int p = 0; p < std::min(personas, 2000); ++p)
            surveyed.append({studyPersona(p), 1});
        if (!writeDemographicsRun(**project, QStringLiteral("demographics"), surveyed, defaultDemographics()))
            return 1;
    }
    out << "setup: " << personas << " personas x " << questions << " questions, 2 runs, " << timer.elapsed()
        << " ms\n";

    ResultsPanel panel;
    panel.resize(1400, 900);
    panel.show();
    QSignalSpy catalog(&panel, &ResultsPanel::catalogShown);
    QSignalSpy shown(&panel, &ResultsPanel::dataShown);
    panel.setProjectPath(path);
    if (!catalog.wait(600000))
        return 1;
    timer.restart();
    for (int i = 0; i < panel.runList()->count(); ++i)
        panel.runList()->item(i)->setCheckState(Qt::Checked);
    while (panel.isComputing() && shown.wait(600000)) {
    }
    out << "first selection (2 runs, overall): " << timer.elapsed() << " ms in the worker\n";

    for (int tab : {0, 1}) {
        panel.views()->setCurrentIndex(tab);
        QList<double> times;
        for (int q = 1; q < questions; ++q) {
            timer.restart();
            panel.questionList()->setCurrentRow(q);
            QCoreApplication::processEvents();
            times.append(timer.nsecsElapsed() / 1e6);
        }
        out << "switch question (" << (tab == 0 ? "question view" : "subgroup view, no subgroup")
            << "): median " << median(times) << " ms, max " << *std::max_element(times.begin(), times.end())
            << " ms over " << times.size() << " switches\n";
    }

    QComboBox *subgroup = panel.subgroupBox();
    const int count = std::min(subgroup->count(), 4);
    for (int i = 1; i < count; ++i) {
        shown.clear();
        timer.restart();
        subgroup->setCurrentIndex(i);
        while (panel.isComputing() && shown.wait(600000)) {
        }
        out << "switch subgroup to " << subgroup->currentData().toString() << " (computed in the worker, GUI free): "
            << timer.elapsed() << " ms\n";
    }
    QList<double> cached;
    for (int round = 0; round < 3; ++round)
        for (int i = 0; i < count; ++i) {
            timer.restart();
            subgroup->setCurrentIndex(i);
            QCoreApplication::processEvents();
            cached.append(timer.nsecsElapsed() / 1e6);
        }
    out << "switch subgroup back (cached, subgroup view drawn): median " << median(cached) << " ms, max "
        << *std::max_element(cached.begin(), cached.end()) << " ms\n";
    QList<double> facets;
    for (int q = 0; q < questions; ++q) {
        timer.restart();
        panel.questionList()->setCurrentRow(q);
        QCoreApplication::processEvents();
        facets.append(timer.nsecsElapsed() / 1e6);
    }
    out << "switch question with " << subgroup->currentData().toString() << " panels: median " << median(facets)
        << " ms, max " << *std::max_element(facets.begin(), facets.end()) << " ms\n";
    out.flush();
    return 0;
}
