// qcustomplot.h needs the foreach keyword the project switches off: it is read first.
#undef QT_NO_FOREACH
#include <qcustomplot.h>

#include "BackgroundJob.h"
#include "CliRunner.h"
#include "DataSetsPanel.h"
#include "MainWindow.h"
#include "MessageBanner.h"
#include "TempProject.h"
#include "data/DatasetStore.h"
#include "data/SavWriter.h"
#include "data/SyntheticAtpGenerator.h"
#include "project/ProjectFile.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>

using namespace anthology;
using namespace anthology::ui;
using namespace anthology::test;
using namespace Qt::StringLiterals;

// The Data sets tab over a real project: the list of data sets, a data set's variables, one
// variable's labels, missing codes, weight and weighted shares with SE (the numbers of
// `anthology data describe`, drawn as bars), .sav import from File > Import, and "Make
// questionnaire" writing what `anthology data questionnaire` prints.
class TestDataSetsPanel : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;
    QString m_project;

    template <typename T> static T *child(QWidget *w, const char *name)
    {
        return w->findChild<T *>(QString::fromLatin1(name));
    }

    static QStringList column(QTableWidget *t, int c)
    {
        QStringList out;
        for (int r = 0; r < t->rowCount(); ++r)
            out.append(t->item(r, c) ? t->item(r, c)->text() : QString());
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"AnthologyWorkbenchTests"_s);
        QSettings().clear();
        m_project = m_dir.path(u"data.anthology"_s);
        auto project = ProjectFile::create(m_project);
        QVERIFY(project);
        QVERIFY(DatasetStore(**project).store(SyntheticAtpGenerator({300, 3, 99, 5, 0.03}).generate(),
                                              u"W99"_s, 99));
    }

    void listsDataSetsAndVariables()
    {
        MainWindow window;
        window.show();
        QVERIFY(window.openProject(m_project));
        auto *tabs = child<QTabWidget>(&window, "mainTabs");
        QCOMPARE(tabs->tabText(tabs->indexOf(window.dataSetsPanel())), u"Data sets"_s);
        auto *sets = child<QTableWidget>(&window, "datasetTable");
        QCOMPARE(column(sets, 0), QStringList{u"W99"_s});
        QCOMPARE(sets->item(0, 1)->text(), u"300"_s);
        QCOMPARE(sets->item(0, 4)->text(), u"WEIGHT_W99"_s);
        auto *variables = child<QTableWidget>(&window, "variableTable");
        const QStringList names = column(variables, 0);
        QVERIFY(names.contains(u"F_GENDER"_s));
        QVERIFY(names.contains(u"SYNQ3_W99"_s));
        QCOMPARE(variables->item(int(names.indexOf(u"SYNQ1_W99"_s)), 3)->text(), u"99"_s); // missing code
    }

    void sharesAreTheNumbersOfDataDescribe()
    {
        MainWindow window;
        window.show();
        QVERIFY(window.openProject(m_project));
        DataSetsPanel *panel = window.dataSetsPanel();
        QVERIFY(panel->selectVariables({u"SYNQ2_W99"_s}));
        const CliResult r = runCli(
            {u"data"_s, u"describe"_s, u"W99"_s, u"SYNQ2_W99"_s, u"--project"_s, m_project, u"--json"_s});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject described = r.json().object().value(u"variables"_s).toArray().first().toObject();
        const QJsonArray categories = described.value(u"categories"_s).toArray();
        auto *shares = child<QTableWidget>(&window, "shareTable");
        QCOMPARE(shares->rowCount(), int(categories.size()));
        QVERIFY(categories.size() >= 3);
        auto *plot = child<QCustomPlot>(&window, "shareChart");
        auto *bars = qobject_cast<QCPBars *>(plot->plottable(0));
        QVERIFY(bars);
        QCOMPARE(bars->data()->size(), int(categories.size()));
        for (int k = 0; k < categories.size(); ++k) {
            const QJsonObject c = categories[k].toObject();
            QCOMPARE(shares->item(k, 1)->text(), c.value(u"label"_s).toString());
            QCOMPARE(shares->item(k, 2)->text(), QString::number(c.value(u"count"_s).toInteger()));
            QCOMPARE(shares->item(k, 3)->text(),
                     QString::number(c.value(u"share"_s).toDouble() * 100, 'f', 2));
            QCOMPARE(shares->item(k, 4)->text(),
                     QString::number(c.value(u"standard_error"_s).toDouble() * 100, 'f', 2));
            // Code 1 is the top bar (the highest key).
            const double key = double(categories.size() - k);
            auto bar = bars->data()->findBegin(key, false);
            QCOMPARE(bar->key, key);
            QVERIFY(qFuzzyCompare(bar->value, c.value(u"share"_s).toDouble() * 100));
        }
        auto *labels = child<QTableWidget>(&window, "valueLabelTable");
        const int refused = int(column(labels, 1).indexOf(u"Refused"_s));
        QVERIFY(refused >= 0);
        QCOMPARE(labels->item(refused, 0)->text(), u"99"_s);
        QCOMPARE(labels->item(refused, 2)->text(), u"user-missing"_s);
        const QString summary = child<QLabel>(&window, "variableSummary")->text();
        QVERIFY2(summary.contains(u"WEIGHT_W99"_s), qPrintable(summary));
        QVERIFY2(summary.contains(u"missing %1"_s.arg(described.value(u"missing"_s).toInteger())),
                 qPrintable(summary));
        QVERIFY(child<QLabel>(&window, "variableTitle")->text().contains(u"SYNQ2_W99"_s));
    }

    void importsSurveyDataFromFileImport()
    {
        QVERIFY(MainWindow::importFilter().contains(u"*.sav *.zsav *.por *.dta"_s));
        QVERIFY(MainWindow::importFilter().contains(u"*.csv *.jsonl"_s));
        const QString sav = m_dir.path(u"w34.sav"_s);
        QVERIFY(SavWriter::write(SyntheticAtpGenerator({120, 2, 34, 9, 0.02}).generate(), sav));
        const QString path = m_dir.path(u"import.anthology"_s);
        MainWindow window;
        window.show();
        QVERIFY(window.createProject(path));
        window.tabs()->setCurrentWidget(window.dataSetsPanel());
        QVERIFY(child<QLabel>(&window, "datasetsEmptyLabel")->isVisible());
        QSignalSpy finished(window.job(), &BackgroundJob::finished);
        window.importFile(sav);
        QTRY_COMPARE(finished.count(), 1);
        QVERIFY2(finished.first().at(1).toBool(), qPrintable(finished.first().at(2).toString()));
        auto *sets = child<QTableWidget>(&window, "datasetTable");
        QCOMPARE(column(sets, 0), QStringList{u"w34"_s});
        QCOMPARE(sets->item(0, 3)->text(), u"34"_s);
        QVERIFY(sets->isVisible());
        QVERIFY(column(child<QTableWidget>(&window, "variableTable"), 0).contains(u"F_SEX"_s));
    }

    void makeQuestionnaireWritesWhatTheCliPrints()
    {
        MainWindow window;
        window.show();
        QVERIFY(window.openProject(m_project));
        DataSetsPanel *panel = window.dataSetsPanel();
        QVERIFY(panel->selectVariables({u"SYNQ1_W99"_s, u"SYNQ3_W99"_s}));
        QCOMPARE(panel->selectedVariables(), (QStringList{u"SYNQ1_W99"_s, u"SYNQ3_W99"_s}));
        const QString yaml = m_dir.path(u"made.yaml"_s);
        const Status written = panel->writeQuestionnaire(yaml);
        QVERIFY2(written.ok(), qPrintable(written.ok() ? QString() : written.error().toString()));
        const CliResult r = runCli({u"data"_s, u"questionnaire"_s, u"W99"_s, u"SYNQ1_W99"_s, u"SYNQ3_W99"_s,
                                    u"--project"_s, m_project});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QFile file(yaml);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), r.out);
        QVERIFY(r.out.contains("SYNQ3_W99"));
    }
};

QTEST_MAIN(TestDataSetsPanel)
#include "TestDataSetsPanel.moc"
