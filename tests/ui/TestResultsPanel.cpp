#include "ResultsFixture.h"
#include "TempProject.h"
#include "core/PersonaFixture.h"

#include "MessageBanner.h"
#include "ResultsPanel.h"
#include "ResultsTableView.h"
#include "ResultsViews.h"
#include "charts/DistributionChart.h"
#include "charts/OverviewChart.h"
#include "charts/MatchChart.h"
#include "charts/PersonaChart.h"
#include "matching/MatchStore.h"
#include "charts/SubgroupChart.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace anthology;
using namespace anthology::test;
using namespace anthology::ui;
using namespace Qt::StringLiterals;

// The Results tab driven through its widgets: ticking runs and choosing a subgroup computes on
// the worker and the charts, facets and tables follow; the question list moves with the keys;
// a selection seen before comes back from the cache without computing.
class TestResultsPanel : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;
    SyntheticStudy m_study;
    std::unique_ptr<ResultsPanel> m_panel;

    void waitShown(QSignalSpy &spy)
    {
        QTRY_VERIFY_WITH_TIMEOUT(!m_panel->isComputing() && spy.count() > 0, 120000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        Result<SyntheticStudy> study = syntheticStudy(m_dir.path(u"panel.anthology"_s), 200, 3);
        QVERIFY(study);
        m_study = *study;
        auto project = ProjectFile::open(m_study.path, ProjectFile::Mode::ReadWrite);
        QVERIFY(project);
        for (const QString &name : {u"alpha"_s, u"beta"_s}) {
            Result<qint64> run = writeSurveyRun(**project, name, m_study, 200, [name](int p, int q, int k) {
                return name == u"alpha"_s ? (p + q) % k + 1 : 1 + (p % 2) * (k - 1);
            });
            QVERIFY(run);
            m_study.runIds.append(*run);
        }
        QList<QPair<QString, int>> personas;
        for (int i = 0; i < 50; ++i)
            personas.append({studyPersona(i), 1});
        QVERIFY(writeDemographicsRun(**project, u"traits"_s, personas, defaultDemographics()));
        MatchRecord match;
        match.name = u"pairs"_s;
        match.method = u"maximum_weight"_s;
        match.datasetName = m_study.dataset;
        for (int i = 0; i < 20; ++i)
            match.pairs.append(StoredMatchPair{u"h%1"_s.arg(i), 1.0, studyPersona(i), 1, -0.5 * i, std::exp(-0.5 * i), {}});
        QVERIFY(MatchStore(**project).insert(match));
        m_panel = std::make_unique<ResultsPanel>();
        m_panel->setProjectPath(m_study.path);
        m_panel->resize(1200, 800);
        m_panel->show();
        QSignalSpy catalog(m_panel.get(), &ResultsPanel::catalogShown);
        QTRY_VERIFY_WITH_TIMEOUT(catalog.count() > 0, 60000);
    }

    void catalogFillsTheChoices()
    {
        QCOMPARE(m_panel->datasetBox()->currentText(), m_study.dataset);
        QCOMPARE(m_panel->runList()->count(), 2);
        QVERIFY(m_panel->runList()->item(0)->text().contains(u"alpha"_s));
        QVERIFY(m_panel->subgroupBox()->findData(u"F_GENDER"_s) > 0);
        QVERIFY(m_panel->subgroupBox()->findData(u"F_AGECAT"_s) > 0);
        QVERIFY(m_panel->subgroupBox()->currentData().toString().isEmpty());
    }

    void tickingRunsDrawsThem()
    {
        QSignalSpy shown(m_panel.get(), &ResultsPanel::dataShown);
        m_panel->runList()->item(0)->setCheckState(Qt::Checked);
        waitShown(shown);
        DistributionChart *chart = m_panel->views()->questionChart();
        QCOMPARE(chart->drawn().runs.size(), 1);
        QVERIFY(chart->titleText().startsWith(m_study.questions.first()));
        QCOMPARE(m_panel->questionList()->count(), m_study.questions.size());
        shown.clear();
        m_panel->runList()->item(1)->setCheckState(Qt::Checked);
        waitShown(shown);
        QCOMPARE(chart->drawn().runs.size(), 2);
        QCOMPARE(m_panel->shownData()->runs.size(), 2);
        m_panel->views()->setCurrentIndex(2);
        QCOMPARE(m_panel->views()->overviewTable()->model()->rowCount(), 3); // humans and two runs
        QCOMPARE(m_panel->views()->overviewChart()->dots().size(), 2);
    }

    void choosingASubgroupGivesFacetsAndTable()
    {
        QSignalSpy shown(m_panel.get(), &ResultsPanel::dataShown);
        m_panel->views()->setCurrentIndex(1);
        QComboBox *box = m_panel->subgroupBox();
        box->setCurrentIndex(box->findData(u"F_GENDER"_s));
        QVERIFY(m_panel->isComputing());
        waitShown(shown);
        const auto data = m_panel->shownData();
        QCOMPARE(data->study.subgroupVariable, u"F_GENDER"_s);
        QVERIFY(data->study.subgroups.size() >= 2);
        SubgroupChart *chart = m_panel->views()->subgroupChart();
        QCOMPARE(chart->facets().size(), data->study.subgroups.size());
        QAbstractItemModel *table = m_panel->views()->subgroupTable()->model();
        QCOMPARE(table->rowCount(), 1 + data->study.subgroups.size());
        for (qsizetype g = 0; g < data->study.subgroups.size(); ++g) {
            QCOMPARE(chart->groups()[g], data->study.subgroups[g].group);
            QCOMPARE(table->index(int(g + 1), 0).data().toString(), data->study.subgroups[g].group);
            QCOMPARE(table->index(int(g + 1), 1).data().toString(),
                     QString::number(data->study.subgroups[g].humanRows));
        }
        // Each facet draws that group's humans.
        const StudyRow *human = StudyReport::humanRowOf(data->study.subgroups[0]);
        QCOMPARE(chart->facets()[0].humans->data()->at(0)->value, human->report->questions[0].human.shares[0]);
    }

    void keysMoveBetweenQuestions()
    {
        QListWidget *list = m_panel->questionList();
        list->setFocus();
        list->setCurrentRow(0);
        QTest::keyClick(list, Qt::Key_Down);
        QCOMPARE(m_panel->views()->question(), qsizetype(1));
        // The subgroup tab in view follows at once; the question tab when shown.
        const SubgroupChart *groups = m_panel->views()->subgroupChart();
        const StudyRow *human = StudyReport::humanRowOf(m_panel->shownData()->study.subgroups[0]);
        QCOMPARE(groups->facets()[0].humans->data()->at(0)->value, human->report->questions[1].human.shares[0]);
        m_panel->views()->setCurrentIndex(0);
        QVERIFY(m_panel->views()->questionChart()->titleText().startsWith(m_study.questions[1]));
        QTest::keyClick(list, Qt::Key_Down);
        QVERIFY(m_panel->views()->questionChart()->titleText().startsWith(m_study.questions[2]));
        QTest::keyClick(list, Qt::Key_Up);
        QVERIFY(m_panel->views()->questionChart()->titleText().startsWith(m_study.questions[1]));
    }

    void aSelectionSeenBeforeComesFromTheCache()
    {
        QSignalSpy shown(m_panel.get(), &ResultsPanel::dataShown);
        m_panel->subgroupBox()->setCurrentIndex(0);
        // Shown synchronously, nothing computed.
        QCOMPARE(shown.count(), 1);
        QVERIFY(!m_panel->isComputing());
        QVERIFY(m_panel->shownData()->study.subgroups.isEmpty());
    }

    void personasTabShowsTheDemographicSurvey()
    {
        QCOMPARE(m_panel->views()->personaRun()->count(), 1);
        QVERIFY(m_panel->views()->personaRun()->currentText().contains(u"traits"_s));
        QTRY_VERIFY_WITH_TIMEOUT(!m_panel->views()->personaChart()->panels().isEmpty(), 60000);
        QVERIFY(m_panel->views()->personaChart()->panels().first().sampled);
        QCOMPARE(m_panel->views()->matchChoice()->count(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(m_panel->views()->matchChart()->bins(), 60000);
        QVERIFY(m_panel->views()->matchChart()->titleText().contains(u"20 of 200 respondents"_s));
    }

    void exportAllWritesFiguresAndManifest()
    {
        const QString folder = m_dir.path(u"all"_s);
        QSignalSpy finished(m_panel.get(), &ResultsPanel::exportFinished);
        m_panel->exportAllFigures(folder, u"svg"_s);
        // One file per turn of the event loop: nothing is drawn before the loop runs.
        QVERIFY(m_panel->isExporting());
        QVERIFY(!QFile::exists(QDir(folder).filePath(u"overview.svg"_s)));
        auto *progress = m_panel->findChild<QProgressBar *>(u"resultsExportProgress"_s);
        QVERIFY(progress && !progress->isHidden());
        QCOMPARE(progress->maximum(), 1 + 3 + 2 + 2 + 1);
        QCOMPARE(progress->format(), u"Drawing overview.svg (1 of 9)"_s);
        QVERIFY(finished.wait(120000));
        QCOMPARE(finished.first().first().toBool(), true);
        QVERIFY(progress->isHidden());
        QFile file(QDir(folder).filePath(u"manifest.json"_s));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonArray files = QJsonDocument::fromJson(file.readAll()).object().value(u"files"_s).toArray();
        QCOMPARE(files.size(), 1 + 3 + 2 + 2);
        for (const QJsonValue &f : files)
            QVERIFY(QFile::exists(QDir(folder).filePath(f.toObject().value(u"file"_s).toString())));
    }

    void aCancelledExportKeepsItsFilesAndWritesNoManifest()
    {
        const QString folder = m_dir.path(u"cancelled"_s);
        QSignalSpy finished(m_panel.get(), &ResultsPanel::exportFinished);
        m_panel->exportAllFigures(folder, u"png"_s);
        auto *progress = m_panel->findChild<QProgressBar *>(u"resultsExportProgress"_s);
        QTRY_VERIFY_WITH_TIMEOUT(progress->value() >= 1, 60000);
        // The button cancels while an export runs.
        auto *button = m_panel->findChild<QPushButton *>(u"resultsExportAll"_s);
        QCOMPARE(button->text(), u"Cancel Export"_s);
        QTest::mouseClick(button, Qt::LeftButton);
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.first().first().toBool(), false);
        QVERIFY(!m_panel->isExporting());
        QVERIFY(QFile::exists(QDir(folder).filePath(u"overview.png"_s)));
        QVERIFY(!QFile::exists(QDir(folder).filePath(u"manifest.json"_s)));
        QCOMPARE(button->text(), u"Export All Figures..."_s);
        auto *banner = m_panel->findChild<MessageBanner *>();
        QVERIFY(banner->text().contains(u"cancelled"_s));
    }

    void anExportIntoAFileStopsWithItsPath()
    {
        // A file where the folder should be: the export says so and names the path.
        const QString blocker = m_dir.path(u"not-a-folder"_s);
        QFile file(blocker);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        QSignalSpy finished(m_panel.get(), &ResultsPanel::exportFinished);
        m_panel->exportAllFigures(blocker, u"svg"_s);
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().first().toBool(), false);
        auto *banner = m_panel->findChild<MessageBanner *>();
        QCOMPARE(banner->level(), MessageBanner::Level::Error);
        QVERIFY2(banner->text().contains(blocker), qPrintable(banner->text()));
        QVERIFY(banner->text().contains(u"after 0 of 9 files"_s));
    }

    void closingTheProjectClearsTheViews()
    {
        QVERIFY(m_panel->shownData());
        m_panel->setProjectPath({});
        QTRY_VERIFY_WITH_TIMEOUT(m_panel->runList()->count() == 0, 60000);
        QVERIFY(!m_panel->shownData());
        QCOMPARE(m_panel->questionList()->count(), 0);
        QVERIFY(m_panel->views()->questionChart()->drawn().runs.isEmpty());
        QCOMPARE(m_panel->views()->overviewTable()->model(), nullptr);
    }
};

QTEST_MAIN(TestResultsPanel)
#include "TestResultsPanel.moc"
