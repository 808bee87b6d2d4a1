#pragma once

#include "MessageBanner.h"
#include "ResultsCatalog.h"
#include "charts/FigureDataLoader.h"

#include <QHash>
#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QThread;

namespace anthology::ui {

class FigureSetWriter;
class ResultsViews;
class ResultsWorker;

// The Results tab: choose a data set, runs, a subgroup variable and the metric on the left;
// the figures and tables on the right follow. Every number comes from core through a worker
// thread (FigureDataLoader); each selection's result is cached, so going back to a selection
// or switching the question redraws without computing.
class ResultsPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResultsPanel)

public:
    // The panel opens its own read-only connection to the project on its worker thread.
    explicit ResultsPanel(QWidget *parent = nullptr);
    ~ResultsPanel() override;

    // The project the window has open (empty: none); its catalog is read when it changes.
    void setProjectPath(const QString &path);

    // Re-reads data sets and runs (new runs appear).
    void refreshCatalog();
    // Draws every figure of the shown selection into folder, one file per event-loop turn,
    // with progress under the button (which cancels meanwhile); exportFinished says how it ended.
    void exportAllFigures(const QString &folder, const QString &format);
    void cancelExport();
    bool isExporting() const { return m_export != nullptr; }

    ResultsViews *views() const { return m_views; }
    QComboBox *datasetBox() const { return m_dataset; }
    QListWidget *runList() const { return m_runs; }
    QComboBox *subgroupBox() const { return m_subgroup; }
    QComboBox *metricBox() const { return m_metric; }
    QListWidget *questionList() const { return m_questions; }
    std::shared_ptr<const FigureData> shownData() const { return m_shown; }
    bool isComputing() const { return m_pendingKey.size() > 0; }
    FigureRequest currentRequest() const;

Q_SIGNALS:
    void catalogShown();
    // A selection's figures are on screen (from the cache or freshly computed).
    void dataShown();
    // The Personas tab drew a demographics run (or says why it could not).
    void personasShown();
    // The match chart drew the chosen match (or says why it could not).
    void matchShown();
    void message(const QString &text, bool isError);
    // An export of all figures ended: complete (manifest.json written), cancelled or failed.
    void exportFinished(bool complete);

private:
    void onCatalog(const ResultsCatalog &catalog);
    void fillSubgroups();
    void selectionChanged();
    void onComputed(quint64 ticket, const QString &key, std::shared_ptr<const FigureData> data);
    void onFailed(quint64 ticket, const QString &key, const QString &error);
    void display(std::shared_ptr<const FigureData> data);
    void chooseExportFolder();
    void exportNextFile();
    void showNextExportFile();
    void endExport(const QString &text, MessageBanner::Level level, bool complete);
    void composePersonas();

    QString m_projectPath;
    QString m_catalogPath;
    ResultsCatalog m_catalog;
    std::unique_ptr<QThread> m_thread;
    ResultsWorker *m_worker;
    quint64 m_ticket = 0;
    quint64 m_personaTicket = 0;
    quint64 m_matchTicket = 0;
    QString m_pendingKey;
    QHash<QString, std::shared_ptr<const FigureData>> m_cache;
    QStringList m_cacheOrder;
    std::shared_ptr<const FigureData> m_shown;

    MessageBanner *m_banner;
    QComboBox *m_dataset;
    QListWidget *m_runs;
    QComboBox *m_subgroup;
    QComboBox *m_metric;
    QListWidget *m_questions;
    QLabel *m_status;
    QPushButton *m_exportAll;
    QProgressBar *m_exportProgress;
    std::unique_ptr<FigureSetWriter> m_export;
    QString m_exportFolder; // where the folder dialog starts: the last export's, else the project's
    ResultsViews *m_views;
};

} // namespace anthology::ui
