#include "ResultsPanel.h"

#include "MessageBanner.h"
#include "ResultsViews.h"
#include "ResultsWorker.h"
#include "charts/ChartExportMenu.h"
#include "pipeline/RunComparison.h"
#include "charts/FigureSet.h"
#include "charts/FigureSetWriter.h"
#include "charts/MatchChart.h"
#include "charts/PersonaChart.h"
#include "matching/MatchSummary.h"
#include "pipeline/PersonaComposition.h"

#include <qcustomplot.h>

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QInputDialog>
#include <QJsonArray>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QThread>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace anthology::ui {

namespace {

constexpr int kCacheSize = 24;
constexpr int RunIdRole = Qt::UserRole + 1;

} // namespace

ResultsPanel::ResultsPanel(QWidget *parent)
    : QWidget(parent), m_thread(std::make_unique<QThread>()),
      m_worker(new ResultsWorker), m_banner(new MessageBanner(this)), m_dataset(new QComboBox(this)),
      m_runs(new QListWidget(this)), m_subgroup(new QComboBox(this)), m_metric(new QComboBox(this)),
      m_questions(new QListWidget(this)), m_status(new QLabel(this)),
      m_exportAll(new QPushButton(tr("Export All Figures..."), this)), m_exportProgress(new QProgressBar(this)),
      m_views(new ResultsViews(this))
{
    qRegisterMetaType<ResultsCatalog>();
    qRegisterMetaType<FigureRequest>();
    qRegisterMetaType<std::shared_ptr<const FigureData>>();
    qRegisterMetaType<std::shared_ptr<const QList<TraitComposition>>>();
    qRegisterMetaType<std::shared_ptr<const MatchWeights>>();
    setObjectName(u"resultsPanel"_s);
    m_thread->setObjectName(u"ResultsWorker"_s);
    m_worker->moveToThread(m_thread.get());
    m_thread->start();
    connect(m_worker, &ResultsWorker::catalogRead, this, &ResultsPanel::onCatalog);
    connect(m_worker, &ResultsWorker::computed, this, &ResultsPanel::onComputed);
    connect(m_worker, &ResultsWorker::failed, this, &ResultsPanel::onFailed);
    connect(m_worker, &ResultsWorker::personasComposed, this,
            [this](quint64 ticket, std::shared_ptr<const QList<TraitComposition>> traits, const QString &error) {
                if (ticket != m_personaTicket)
                    return;
                QComboBox *box = m_views->personaRun();
                if (traits)
                    m_views->personaChart()->showComposition(*traits, box->currentData().toLongLong(),
                                                             box->currentText(), m_dataset->currentText());
                else
                    m_views->personaChart()->clearChart(error);
                Q_EMIT personasShown();
            });

    m_dataset->setObjectName(u"resultsDataset"_s);
    m_runs->setObjectName(u"resultsRuns"_s);
    m_subgroup->setObjectName(u"resultsSubgroup"_s);
    m_metric->setObjectName(u"resultsMetric"_s);
    m_questions->setObjectName(u"resultsQuestions"_s);
    m_exportAll->setObjectName(u"resultsExportAll"_s);
    m_metric->addItem(tr("EMD"), u"emd"_s);
    m_metric->addItem(tr("Total variation"), u"tv"_s);
    m_metric->setToolTip(tr("The distance runs are sorted by: earth mover's distance or total variation"));
    m_runs->setToolTip(tr("Tick the runs to compare with the humans"));
    m_questions->setToolTip(tr("Up and down keys move between questions"));
    m_questions->setTextElideMode(Qt::ElideRight);
    m_questions->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_status->setWordWrap(true);
    m_status->setObjectName(u"resultsStatus"_s);

    auto *refresh = new QToolButton(this);
    refresh->setText(tr("Refresh"));
    refresh->setToolTip(tr("Read the project's data sets and runs again"));
    auto *options = new QWidget(this);
    auto *form = new QFormLayout;
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("Data set:"), m_dataset);
    form->addRow(tr("Subgroup:"), m_subgroup);
    form->addRow(tr("Sort by:"), m_metric);
    auto *left = new QVBoxLayout(options);
    left->setContentsMargins(0, 0, 4, 0);
    left->addLayout(form);
    auto *runsHead = new QHBoxLayout;
    runsHead->addWidget(new QLabel(tr("Runs:"), this), 1);
    runsHead->addWidget(refresh);
    left->addLayout(runsHead);
    left->addWidget(m_runs, 2);
    left->addWidget(new QLabel(tr("Questions:"), this));
    left->addWidget(m_questions, 3);
    left->addWidget(m_status);
    left->addWidget(m_exportAll);
    left->addWidget(m_exportProgress);
    m_exportProgress->setObjectName(u"resultsExportProgress"_s);
    m_exportProgress->hide();
    options->setMinimumWidth(220);
    options->setMaximumWidth(360);

    auto *splitter = new QSplitter(this);
    splitter->addWidget(options);
    splitter->addWidget(m_views);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({260, 900});
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_banner);
    layout->addWidget(splitter, 1);

    connect(refresh, &QToolButton::clicked, this, &ResultsPanel::refreshCatalog);
    connect(m_dataset, &QComboBox::currentIndexChanged, this, [this] {
        fillSubgroups();
        selectionChanged();
        composePersonas();
    });
    connect(m_views, &ResultsViews::personaRunChosen, this, &ResultsPanel::composePersonas);
    connect(m_views, &ResultsViews::matchChosen, this, [this](qint64 matchId) {
        const quint64 ticket = ++m_matchTicket;
        const QString path = m_catalogPath;
        QMetaObject::invokeMethod(
            m_worker, [worker = m_worker, ticket, path, matchId] { worker->summarizeMatch(ticket, path, matchId); },
            Qt::QueuedConnection);
    });
    connect(m_worker, &ResultsWorker::matchSummarized, this,
            [this](quint64 ticket, std::shared_ptr<const MatchWeights> match, const QString &error) {
                if (ticket != m_matchTicket)
                    return;
                if (match)
                    m_views->matchChart()->showMatch(*match);
                else
                    m_views->matchChart()->clearChart(error);
                Q_EMIT matchShown();
            });
    connect(m_subgroup, &QComboBox::currentIndexChanged, this, &ResultsPanel::selectionChanged);
    connect(m_metric, &QComboBox::currentIndexChanged, this, &ResultsPanel::selectionChanged);
    connect(m_runs, &QListWidget::itemChanged, this, &ResultsPanel::selectionChanged);
    connect(m_questions, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0)
            m_views->setQuestion(row);
    });
    connect(m_views, &ResultsViews::message, this, [this](const QString &text, bool isError) {
        m_banner->showMessage(text, isError ? MessageBanner::Level::Error : MessageBanner::Level::Positive);
    });
    connect(m_exportAll, &QPushButton::clicked, this, [this] {
        if (m_export)
            cancelExport();
        else
            chooseExportFolder();
    });
    // The export shortcut works anywhere in the tab, on the figure in view.
    auto *exportShortcut = new QShortcut(QKeySequence(u"Ctrl+Shift+E"_s), this);
    exportShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(exportShortcut, &QShortcut::activated, this, [this] {
        if (auto *menu = m_views->currentPlot()->findChild<ChartExportMenu *>())
            menu->exportFigure();
    });
    m_exportAll->setEnabled(false);
}

ResultsPanel::~ResultsPanel()
{
    m_thread->quit();
    m_thread->wait();
    delete m_worker;
}

void ResultsPanel::setProjectPath(const QString &path)
{
    if (path == m_projectPath && path == m_catalogPath)
        return;
    m_projectPath = path;
    refreshCatalog();
}

void ResultsPanel::refreshCatalog()
{
    m_catalogPath = m_projectPath;
    const QString path = m_catalogPath;
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, path] { worker->readCatalog(path); }, Qt::QueuedConnection);
}

void ResultsPanel::onCatalog(const ResultsCatalog &catalog)
{
    if (catalog.projectPath != m_catalogPath)
        return; // a project opened since
    if (catalog.projectPath != m_catalog.projectPath) {
        m_cache.clear();
        m_cacheOrder.clear();
        m_shown.reset();
        m_questions->clear();
        m_views->setData(nullptr);
        m_exportAll->setEnabled(m_export != nullptr); // a running export can still be cancelled
    }
    QSet<qint64> checked;
    for (int i = 0; i < m_runs->count(); ++i)
        if (m_runs->item(i)->checkState() == Qt::Checked)
            checked.insert(m_runs->item(i)->data(RunIdRole).toLongLong());
    const bool firstLook = m_catalog.projectPath != catalog.projectPath;
    m_catalog = catalog;
    if (!catalog.error.isEmpty())
        m_banner->showMessage(catalog.error, MessageBanner::Level::Error);
    {
        const QSignalBlocker b1(m_dataset), b2(m_runs);
        const QString dataset = m_dataset->currentText();
        m_dataset->clear();
        for (const ResultsCatalog::Dataset &d : catalog.datasets)
            m_dataset->addItem(d.name);
        m_dataset->setCurrentIndex(std::max(0, m_dataset->findText(dataset)));
        m_runs->clear();
        for (const ResultsCatalog::Run &r : catalog.runs) {
            auto *item = new QListWidgetItem(tr("%1  %2 (%3)").arg(r.id).arg(r.name, r.status), m_runs);
            item->setData(RunIdRole, r.id);
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsSelectable);
            item->setCheckState(checked.contains(r.id) ? Qt::Checked : Qt::Unchecked);
        }
        // On a project's first look, the latest completed runs (up to three) are ticked.
        if (firstLook)
            for (int i = m_runs->count() - 1, ticked = 0; i >= 0 && ticked < 3; --i)
                if (catalog.runs[i].status == u"completed"_s) {
                    m_runs->item(i)->setCheckState(Qt::Checked);
                    ++ticked;
                }
    }
    {
        QComboBox *box = m_views->personaRun();
        const QSignalBlocker block(box);
        const qint64 previous = box->currentData().toLongLong();
        box->clear();
        for (const ResultsCatalog::Run &r : catalog.demographicsRuns)
            box->addItem(RunComparison::runLabel(r.id, r.name), r.id);
        box->setCurrentIndex(std::max(0, box->findData(previous)));
    }
    {
        QComboBox *box = m_views->matchChoice();
        const qint64 previous = box->currentData().toLongLong();
        const QSignalBlocker block(box);
        box->clear();
        for (const ResultsCatalog::Run &m : catalog.matches)
            box->addItem(u"%1 (%2)"_s.arg(m.name, m.status), m.id);
        box->setCurrentIndex(std::max(0, box->findData(previous)));
    }
    if (m_views->matchChoice()->currentIndex() >= 0)
        Q_EMIT m_views->matchChosen(m_views->matchChoice()->currentData().toLongLong());
    fillSubgroups();
    composePersonas();
    Q_EMIT catalogShown();
    selectionChanged();
}

void ResultsPanel::fillSubgroups()
{
    const QSignalBlocker block(m_subgroup);
    const QString previous = m_subgroup->currentData().toString();
    m_subgroup->clear();
    m_subgroup->addItem(tr("(none: everyone)"), QString());
    for (const ResultsCatalog::Dataset &d : m_catalog.datasets) {
        if (d.name != m_dataset->currentText())
            continue;
        for (const ResultsCatalog::Variable &v : d.subgroups)
            m_subgroup->addItem(v.label.isEmpty() ? v.name : u"%1 (%2)"_s.arg(v.label, v.name), v.name);
    }
    m_subgroup->setCurrentIndex(std::max(0, m_subgroup->findData(previous)));
}

FigureRequest ResultsPanel::currentRequest() const
{
    FigureRequest request;
    request.dataset = m_dataset->currentText();
    for (int i = 0; i < m_runs->count(); ++i)
        if (m_runs->item(i)->checkState() == Qt::Checked)
            request.runIds.append(m_runs->item(i)->data(RunIdRole).toLongLong());
    request.options.subgroupVariable = m_subgroup->currentData().toString();
    request.options.sortBy = m_metric->currentData().toString() == u"tv"_s ? StudyMetric::TotalVariation
                                                                          : StudyMetric::Emd;
    return request;
}

void ResultsPanel::selectionChanged()
{
    const FigureRequest request = currentRequest();
    if (request.dataset.isEmpty() || request.runIds.isEmpty()) {
        m_pendingKey.clear();
        m_status->setText(m_catalog.datasets.isEmpty() ? tr("The project has no data set: import one under Data sets.")
                                                       : tr("Tick one or more runs."));
        return;
    }
    const QString key = request.cacheKey();
    if (auto it = m_cache.constFind(key); it != m_cache.cend()) {
        m_pendingKey.clear();
        display(*it);
        return;
    }
    m_pendingKey = key;
    m_status->setText(tr("Computing..."));
    const quint64 ticket = ++m_ticket;
    const QString path = m_catalogPath;
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, ticket, path, request] { worker->compute(ticket, path, request); },
        Qt::QueuedConnection);
}

void ResultsPanel::onComputed(quint64 ticket, const QString &key, std::shared_ptr<const FigureData> data)
{
    m_cache.insert(key, data);
    m_cacheOrder.removeAll(key);
    m_cacheOrder.append(key);
    while (m_cacheOrder.size() > kCacheSize)
        m_cache.remove(m_cacheOrder.takeFirst());
    if (ticket != m_ticket)
        return; // the selection moved on; the result stays cached
    m_pendingKey.clear();
    m_banner->dismiss();
    display(std::move(data));
}

void ResultsPanel::onFailed(quint64 ticket, const QString &, const QString &error)
{
    if (ticket != m_ticket)
        return;
    m_pendingKey.clear();
    m_status->setText(tr("Could not compute this selection."));
    m_banner->showMessage(error, MessageBanner::Level::Error);
    Q_EMIT dataShown();
}

void ResultsPanel::display(std::shared_ptr<const FigureData> data)
{
    m_shown = data;
    const int row = std::max(0, m_questions->currentRow());
    {
        const QSignalBlocker block(m_questions);
        m_questions->clear();
        for (const Question &q : data->study.questions) {
            auto *item = new QListWidgetItem(q.body.isEmpty() ? q.id : u"%1  %2"_s.arg(q.id, q.body), m_questions);
            item->setToolTip(q.body);
        }
        m_questions->setCurrentRow(std::min(row, m_questions->count() - 1));
    }
    m_views->setQuestion(m_questions->currentRow());
    m_views->setData(data);
    m_status->setText(tr("%n question(s), %1 respondents", nullptr, int(data->study.questions.size()))
                          .arg(data->study.overall.humanRows));
    m_exportAll->setEnabled(true);
    Q_EMIT dataShown();
}

void ResultsPanel::composePersonas()
{
    QComboBox *box = m_views->personaRun();
    if (box->currentIndex() < 0 || m_dataset->currentText().isEmpty())
        return;
    const quint64 ticket = ++m_personaTicket;
    const QString path = m_catalogPath;
    const qint64 runId = box->currentData().toLongLong();
    const QString dataset = m_dataset->currentText();
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, ticket, path, runId, dataset] { worker->composePersonas(ticket, path, runId, dataset); },
        Qt::QueuedConnection);
}

void ResultsPanel::chooseExportFolder()
{
    if (m_exportFolder.isEmpty())
        m_exportFolder = QFileInfo(m_projectPath).absolutePath();
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Export All Figures To"), m_exportFolder);
    if (folder.isEmpty())
        return;
    m_exportFolder = folder;
    bool ok = false;
    const QString format = QInputDialog::getItem(this, tr("Figure Format"), tr("Format:"),
                                                 {u"pdf"_s, u"svg"_s, u"png"_s}, 0, false, &ok);
    if (ok)
        exportAllFigures(folder, format);
}

void ResultsPanel::exportAllFigures(const QString &folder, const QString &format)
{
    if (!m_shown || m_export)
        return;
    FigureSet::Options options;
    options.format = FigureExporter::fromName(format).value_or(FigureFormat::Pdf);
    // The writer keeps the selection it started with, whatever is chosen meanwhile.
    m_export = std::make_unique<FigureSetWriter>(m_shown, currentRequest(), folder, options);
    m_exportAll->setText(tr("Cancel Export"));
    m_exportAll->setToolTip(tr("Stop after the figure being drawn; the files written so far stay"));
    m_exportProgress->setRange(0, m_export->total());
    m_exportProgress->setValue(0);
    showNextExportFile();
    m_exportProgress->show();
    // Drawing needs the GUI thread (the charts are widgets): one file per turn of the event loop
    // keeps the window answering between figures.
    QTimer::singleShot(0, this, &ResultsPanel::exportNextFile);
}

void ResultsPanel::exportNextFile()
{
    if (!m_export)
        return; // cancelled
    if (Status st = m_export->writeNext(); !st) {
        endExport(tr("Export stopped after %1 of %2 files: %3")
                      .arg(m_export->written())
                      .arg(m_export->total())
                      .arg(st.error().toString()),
                  MessageBanner::Level::Error, false);
        return;
    }
    m_exportProgress->setValue(m_export->written());
    if (m_export->atEnd()) {
        endExport(tr("Wrote %1 files and manifest.json to %2").arg(m_export->total() - 1).arg(m_export->folder()),
                  MessageBanner::Level::Positive, true);
        return;
    }
    showNextExportFile();
    QTimer::singleShot(0, this, &ResultsPanel::exportNextFile);
}

// What the bar shows while the next turn draws.
void ResultsPanel::showNextExportFile()
{
    m_exportProgress->setFormat(
        tr("Drawing %1 (%2 of %3)").arg(m_export->nextName()).arg(m_export->written() + 1).arg(m_export->total()));
}

void ResultsPanel::cancelExport()
{
    if (!m_export)
        return;
    endExport(tr("Export cancelled: %1 of %2 files written to %3, without manifest.json")
                  .arg(m_export->written())
                  .arg(m_export->total())
                  .arg(m_export->folder()),
              MessageBanner::Level::Information, false);
}

void ResultsPanel::endExport(const QString &text, MessageBanner::Level level, bool complete)
{
    m_export.reset();
    m_exportProgress->hide();
    m_exportAll->setText(tr("Export All Figures..."));
    m_exportAll->setToolTip({});
    m_exportAll->setEnabled(m_shown != nullptr);
    m_banner->showMessage(text, level);
    Q_EMIT exportFinished(complete);
}

} // namespace anthology::ui
