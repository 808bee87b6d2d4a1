#pragma once

#include <QTabWidget>

#include <memory>

class QComboBox;
class QCustomPlot;
class QStandardItemModel;

namespace anthology::ui {

class DistributionChart;
class HeatmapChart;
class MatchChart;
class OverviewChart;
class PersonaChart;
class ResultsTableView;
class SubgroupChart;
struct FigureData;

// The Results figures over one computed selection: the question view, the subgroup panels with
// their table, the study overview with its table, and the correlation heatmaps. Only the tab
// in view is redrawn when the question or the data change; the others catch up when shown.
class ResultsViews final : public QTabWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResultsViews)

public:
    explicit ResultsViews(QWidget *parent = nullptr);

    void setData(std::shared_ptr<const FigureData> data);
    void setQuestion(qsizetype question);
    qsizetype question() const { return m_question; }

    QCustomPlot *currentPlot() const;
    DistributionChart *questionChart() const { return m_questionChart; }
    SubgroupChart *subgroupChart() const { return m_subgroupChart; }
    ResultsTableView *subgroupTable() const { return m_subgroupTable; }
    OverviewChart *overviewChart() const { return m_overviewChart; }
    ResultsTableView *overviewTable() const { return m_overviewTable; }
    HeatmapChart *heatmapChart() const { return m_heatmap; }
    QComboBox *heatmapRun() const { return m_heatmapRun; }
    QComboBox *personaRun() const { return m_personaRun; }
    PersonaChart *personaChart() const { return m_personas; }
    QComboBox *matchChoice() const { return m_match; }
    MatchChart *matchChart() const { return m_matchChart; }

Q_SIGNALS:
    void message(const QString &text, bool isError);
    // The demographics run whose personas the Personas tab should show.
    void personaRunChosen(qint64 runId);
    void matchChosen(qint64 matchId);

private:
    enum Tab { QuestionTab, SubgroupTab, OverviewTab, CorrelationTab, PersonaTab, TabCount };
    void redraw();
    QString figureName() const;

    std::shared_ptr<const FigureData> m_data;
    qsizetype m_question = 0;
    bool m_stale[TabCount] = {true, true, true, true, false};
    DistributionChart *m_questionChart;
    SubgroupChart *m_subgroupChart;
    ResultsTableView *m_subgroupTable;
    OverviewChart *m_overviewChart;
    ResultsTableView *m_overviewTable;
    QComboBox *m_heatmapRun;
    HeatmapChart *m_heatmap;
    QComboBox *m_personaRun;
    PersonaChart *m_personas;
    QComboBox *m_match;
    MatchChart *m_matchChart;
    QStandardItemModel *m_subgroupModel = nullptr;
    QStandardItemModel *m_overviewModel = nullptr;
};

} // namespace anthology::ui
