#include "ResultsViews.h"

#include "ResultsTableView.h"
#include "charts/ChartExportMenu.h"
#include "charts/ChartLayout.h"
#include "charts/DistributionChart.h"
#include "charts/FigureData.h"
#include "charts/FigureSet.h"
#include "charts/HeatmapChart.h"
#include "charts/MatchChart.h"
#include "charts/OverviewChart.h"
#include "charts/PersonaChart.h"
#include "charts/ResultsTables.h"
#include "charts/SubgroupChart.h"

#include <QComboBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QSplitter>
#include <QStandardItemModel>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace anthology::ui {

namespace {

// A chart above its table, the chart taking most of the height.
QWidget *chartOverTable(QWidget *chart, QWidget *table, int chartHeight, int tableHeight)
{
    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(chart);
    splitter->addWidget(table);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({chartHeight, tableHeight});
    return splitter;
}

// A chart below the one choice it depends on (which run, which survey).
QWidget *chartUnderChoice(const QString &label, QComboBox *choice, QWidget *chart)
{
    auto *page = new QWidget;
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 4, 0, 0);
    auto *row = new QHBoxLayout;
    row->addWidget(new QLabel(label));
    row->addWidget(choice, 1);
    layout->addLayout(row);
    layout->addWidget(chart, 1);
    return page;
}

} // namespace

ResultsViews::ResultsViews(QWidget *parent)
    : QTabWidget(parent), m_questionChart(new DistributionChart), m_subgroupChart(new SubgroupChart),
      m_subgroupTable(new ResultsTableView), m_overviewChart(new OverviewChart), m_overviewTable(new ResultsTableView),
      m_heatmapRun(new QComboBox), m_heatmap(new HeatmapChart), m_personaRun(new QComboBox),
      m_personas(new PersonaChart), m_match(new QComboBox), m_matchChart(new MatchChart)
{
    setObjectName(u"resultsViews"_s);
    setDocumentMode(true);
    addTab(m_questionChart, tr("Question"));

    m_subgroupTable->setObjectName(u"subgroupTable"_s);
    m_overviewTable->setObjectName(u"overviewTable"_s);
    m_heatmapRun->setObjectName(u"heatmapRun"_s);
    m_personaRun->setObjectName(u"personaRun"_s);
    addTab(chartOverTable(m_subgroupChart, m_subgroupTable, 620, 180), tr("Subgroups"));
    addTab(chartOverTable(m_overviewChart, m_overviewTable, 480, 260), tr("Overview"));
    addTab(chartUnderChoice(tr("Run:"), m_heatmapRun, m_heatmap), tr("Correlations"));
    m_match->setObjectName(u"matchChoice"_s);
    auto *personas = new QSplitter(Qt::Vertical);
    personas->addWidget(chartUnderChoice(tr("Demographic survey of the personas:"), m_personaRun, m_personas));
    personas->addWidget(chartUnderChoice(tr("Match:"), m_match, m_matchChart));
    personas->setSizes({760, 220});
    addTab(personas, tr("Personas"));
    connect(m_match, &QComboBox::currentIndexChanged, this, [this] {
        if (m_match->currentIndex() >= 0)
            Q_EMIT matchChosen(m_match->currentData().toLongLong());
    });
    m_matchChart->clearChart(tr("No match stored in this project"));
    connect(m_personaRun, &QComboBox::currentIndexChanged, this, [this] {
        if (m_personaRun->currentIndex() >= 0)
            Q_EMIT personaRunChosen(m_personaRun->currentData().toLongLong());
    });
    m_personas->clearChart(tr("Choose the demographic survey of a persona set"));

    for (QCustomPlot *plot : {static_cast<QCustomPlot *>(m_questionChart), static_cast<QCustomPlot *>(m_subgroupChart),
                              static_cast<QCustomPlot *>(m_overviewChart), static_cast<QCustomPlot *>(m_heatmap),
                              static_cast<QCustomPlot *>(m_personas), static_cast<QCustomPlot *>(m_matchChart)}) {
        auto *menu = new ChartExportMenu(plot, [this] { return figureName(); });
        connect(menu, &ChartExportMenu::exported, this, [this](const QString &path, bool ok, const QString &error) {
            Q_EMIT message(ok ? tr("Saved %1").arg(QFileInfo(path).fileName()) : error, !ok);
        });
    }
    for (ResultsTableView *table : {m_subgroupTable, m_overviewTable})
        connect(table, &ResultsTableView::exported, this, [this](const QString &path, bool ok, const QString &error) {
            Q_EMIT message(ok ? tr("Saved %1").arg(QFileInfo(path).fileName()) : error, !ok);
        });
    connect(this, &QTabWidget::currentChanged, this, &ResultsViews::redraw);
    connect(m_heatmapRun, &QComboBox::currentIndexChanged, this, [this] {
        m_stale[CorrelationTab] = true;
        redraw();
    });
    m_questionChart->clearChart(tr("Choose a data set and runs"));
}

QCustomPlot *ResultsViews::currentPlot() const
{
    switch (currentIndex()) {
    case SubgroupTab:
        return m_subgroupChart;
    case OverviewTab:
        return m_overviewChart;
    case CorrelationTab:
        return m_heatmap;
    case PersonaTab:
        return m_personas;
    default:
        return m_questionChart;
    }
}

QString ResultsViews::figureName() const
{
    if (currentIndex() == PersonaTab)
        return u"personas-run%1"_s.arg(m_personaRun->currentData().toLongLong());
    if (!m_data || m_data->study.questions.isEmpty())
        return u"figure"_s;
    const QString question = FigureSet::slug(m_data->study.questions.value(m_question).id);
    switch (currentIndex()) {
    case SubgroupTab:
        return u"subgroups-"_s + question;
    case OverviewTab:
        return u"overview"_s;
    case CorrelationTab:
        return u"correlations-run%1"_s.arg(m_data->runs.value(m_heatmapRun->currentIndex()).runId);
    default:
        return u"question-"_s + question;
    }
}

void ResultsViews::setData(std::shared_ptr<const FigureData> data)
{
    m_data = std::move(data);
    {
        const QSignalBlocker block(m_heatmapRun);
        const int previous = m_heatmapRun->currentIndex();
        m_heatmapRun->clear();
        if (m_data)
            for (const FigureRun &run : m_data->runs)
                m_heatmapRun->addItem(run.label, run.runId);
        m_heatmapRun->setCurrentIndex(std::clamp(previous, 0, m_heatmapRun->count() - 1));
    }
    if (!m_data) { // another project, or none: nothing of the last one stays on screen
        for (QCustomPlot *plot : {static_cast<QCustomPlot *>(m_subgroupChart), static_cast<QCustomPlot *>(m_overviewChart),
                                  static_cast<QCustomPlot *>(m_heatmap)}) {
            ChartLayout::reset(plot);
            ChartLayout::dropLegend(plot);
            plot->replot();
        }
        m_questionChart->clearChart(tr("Choose a data set and runs"));
        m_personas->clearChart(tr("Choose the demographic survey of a persona set"));
        m_matchChart->clearChart(tr("No match stored in this project"));
        m_overviewTable->setModel(nullptr);
        m_subgroupTable->setModel(nullptr);
        delete m_overviewModel;
        delete m_subgroupModel;
        m_overviewModel = m_subgroupModel = nullptr;
    }
    if (m_data) {
        QStandardItemModel *old = m_overviewModel;
        m_overviewModel = ResultsTables::overview(*m_data, this);
        m_overviewTable->setModel(m_overviewModel);
        delete old;
        m_overviewTable->setCaption(tr("Runs against the humans of %1.").arg(m_data->dataset));
    }
    m_question = std::clamp<qsizetype>(m_question, 0, m_data ? std::max<qsizetype>(0, m_data->study.questions.size() - 1) : 0);
    std::fill(std::begin(m_stale), std::end(m_stale), true);
    redraw();
}

void ResultsViews::setQuestion(qsizetype question)
{
    if (question == m_question)
        return;
    m_question = question;
    m_stale[QuestionTab] = m_stale[SubgroupTab] = true;
    redraw();
}

void ResultsViews::redraw()
{
    const int tab = currentIndex();
    if (tab < 0 || tab >= TabCount || !m_stale[tab] || !m_data)
        return;
    m_stale[tab] = false;
    switch (tab) {
    case QuestionTab:
        m_questionChart->showQuestion(*m_data, m_question);
        break;
    case SubgroupTab: {
        m_subgroupChart->showQuestion(*m_data, m_question);
        QStandardItemModel *old = m_subgroupModel;
        m_subgroupModel = ResultsTables::subgroups(*m_data, m_question, this);
        m_subgroupTable->setModel(m_subgroupModel);
        delete old;
        break;
    }
    case OverviewTab:
        m_overviewChart->showStudy(*m_data);
        break;
    case CorrelationTab:
        m_heatmap->showRun(*m_data, m_heatmapRun->currentIndex());
        break;
    default:
        break; // the persona tab draws when its composition arrives
    }
}

} // namespace anthology::ui
