#include "RunMonitor.h"

#include "ThroughputChart.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace anthology::ui {

namespace {

QString duration(double seconds)
{
    if (seconds < 0)
        return QObject::tr("unknown");
    const qint64 s = qint64(seconds + 0.5);
    if (s < 60)
        return QObject::tr("%1 s").arg(s);
    if (s < 3600)
        return QObject::tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    return QObject::tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
}

} // namespace

RunMonitor::RunMonitor(QWidget *parent)
    : QWidget(parent), m_title(new QLabel(this)), m_state(new QLabel(this)), m_bar(new QProgressBar(this)),
      m_done(figure(u"monitorDone"_s)), m_failed(figure(u"monitorFailed"_s)),
      m_inFlight(figure(u"monitorInFlight"_s)), m_rate(figure(u"monitorRate"_s)), m_eta(figure(u"monitorEta"_s)),
      m_tokens(figure(u"monitorTokens"_s)), m_cost(figure(u"monitorCost"_s)), m_failures(new QTreeWidget(this)),
      m_chart(new ThroughputChart(this)), m_pause(new QPushButton(tr("Pause"), this)),
      m_resume(new QPushButton(tr("Resume"), this)), m_cancel(new QPushButton(tr("Cancel"), this)),
      m_retry(new QPushButton(tr("Retry failed"), this))
{
    setObjectName(u"runMonitor"_s);
    m_title->setObjectName(u"monitorTitle"_s);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_state->setObjectName(u"monitorState"_s);
    m_bar->setObjectName(u"monitorProgress"_s);
    m_bar->setTextVisible(true);
    m_pause->setObjectName(u"monitorPause"_s);
    m_resume->setObjectName(u"monitorResume"_s);
    m_cancel->setObjectName(u"monitorCancel"_s);
    m_retry->setObjectName(u"monitorRetry"_s);
    m_pause->setToolTip(tr("Send nothing new until Resume; answers on the wire are still stored. "
                           "'anthology run resume' from a terminal resumes it too."));
    m_cancel->setToolTip(tr("Stop the run; committed answers are kept, the rest stays pending for a resume."));
    m_retry->setToolTip(tr("Send the failed items of this run again (only those)."));

    m_failures->setObjectName(u"monitorFailures"_s);
    m_failures->setHeaderLabels({tr("Failure cause"), tr("Items"), tr("Latest error")});
    m_failures->setRootIsDecorated(false);
    m_failures->setUniformRowHeights(true);
    m_failures->setAlternatingRowColors(true);
    m_failures->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_failures->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_failures->header()->setStretchLastSection(true);

    auto *head = new QHBoxLayout;
    head->addWidget(m_title);
    head->addWidget(m_state, 1);
    head->addWidget(m_pause);
    head->addWidget(m_resume);
    head->addWidget(m_cancel);
    head->addWidget(m_retry);

    auto *grid = new QGridLayout;
    grid->setHorizontalSpacing(16);
    const QList<QPair<QString, QLabel *>> figures = {{tr("Done"), m_done},        {tr("Failed"), m_failed},
                                                     {tr("In flight"), m_inFlight}, {tr("Rate"), m_rate},
                                                     {tr("ETA"), m_eta},          {tr("Tokens"), m_tokens},
                                                     {tr("Cost"), m_cost}};
    for (int i = 0; i < figures.size(); ++i) {
        auto *name = new QLabel(figures[i].first, this);
        name->setForegroundRole(QPalette::PlaceholderText);
        grid->addWidget(name, 0, i);
        grid->addWidget(figures[i].second, 1, i);
    }
    grid->setColumnStretch(int(figures.size()), 1);
    m_inFlight->setToolTip(tr("Requests on the wire plus answers received and waiting to be stored."));

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_chart);
    split->addWidget(m_failures);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({600, 400});
    split->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addLayout(head);
    layout->addWidget(m_bar);
    layout->addLayout(grid);
    layout->addWidget(split, 1);

    connect(m_pause, &QPushButton::clicked, this, &RunMonitor::pauseRequested);
    connect(m_resume, &QPushButton::clicked, this, &RunMonitor::resumeRequested);
    connect(m_cancel, &QPushButton::clicked, this, &RunMonitor::cancelRequested);
    connect(m_retry, &QPushButton::clicked, this, &RunMonitor::retryFailedRequested);
    setLive(false, false);
}

QLabel *RunMonitor::figure(const QString &objectName)
{
    auto *label = new QLabel(u"–"_s, this);
    label->setObjectName(objectName);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont f = label->font();
    f.setPointSizeF(f.pointSizeF() * 1.15);
    label->setFont(f);
    return label;
}

void RunMonitor::begin(qint64 runId, const QString &title)
{
    m_runId = runId;
    m_failedCount = 0;
    m_title->setText(title);
    m_state->setText(tr("starting…"));
    m_bar->setRange(0, 0);
    for (QLabel *l : {m_done, m_failed, m_inFlight, m_rate, m_eta, m_tokens, m_cost})
        l->setText(u"–"_s);
    showFailures({});
    m_chart->clear();
    m_clock.start();
    setLive(true, false);
}

void RunMonitor::showProgress(const RunProgress &p)
{
    const QLocale locale;
    m_bar->setRange(0, int(qMin<qint64>(p.total, std::numeric_limits<int>::max())));
    m_bar->setValue(int(qMin<qint64>(p.done + p.failed, m_bar->maximum())));
    m_bar->setFormat(tr("%1 of %2 (%p%)").arg(locale.toString(p.done + p.failed), locale.toString(p.total)));
    m_done->setText(locale.toString(p.done));
    m_failed->setText(locale.toString(p.failed));
    m_inFlight->setText(locale.toString(p.inFlight));
    m_rate->setText(tr("%1 req/s · %2 tok/s")
                        .arg(locale.toString(p.requestsPerSecond, 'f', 1), locale.toString(p.tokensPerSecond, 'f', 0)));
    m_eta->setText(p.paused ? tr("paused") : duration(p.etaSeconds));
    m_tokens->setText(locale.toString(p.tokens));
    m_cost->setText(p.cost > 0 ? locale.toString(p.cost, 'f', 4) : tr("no prices set"));
    m_state->setText(p.paused ? tr("paused (nothing new is sent)") : tr("running"));
    m_chart->addSample(m_clock.isValid() ? m_clock.elapsed() / 1000.0 : 0.0, p.done + p.failed);
    setLive(true, p.paused);
}

void RunMonitor::showFailures(const QList<FailureGroup> &failures)
{
    m_failures->clear();
    if (failures.isEmpty()) {
        auto *none = new QTreeWidgetItem(m_failures, {tr("No failed items"), QString(), QString()});
        none->setForeground(0, palette().color(QPalette::PlaceholderText));
        none->setFlags(Qt::NoItemFlags);
        return;
    }
    for (const FailureGroup &g : failures) {
        auto *item = new QTreeWidgetItem(m_failures, {g.label(), QLocale().toString(g.count), g.latestMessage});
        item->setToolTip(2, g.latestMessage);
        item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
    }
}

void RunMonitor::showOutcome(const RunOutcome &outcome)
{
    if (outcome.progress.runId)
        showProgress(outcome.progress);
    m_bar->setRange(0, qMax(1, m_bar->maximum()));
    showFailures(outcome.failures);
    m_state->setText(outcome.statusText());
    m_eta->setText(u"–"_s);
    m_inFlight->setText(u"0"_s);
    setLive(false, false);
    m_retry->setEnabled(!outcome.failures.isEmpty() || outcome.progress.failed > 0);
    m_resume->setEnabled(!outcome.succeeded());
}

void RunMonitor::setLive(bool live, bool paused)
{
    m_pause->setEnabled(live && !paused);
    m_resume->setEnabled(live && paused);
    m_cancel->setEnabled(live);
    m_retry->setEnabled(!live && m_runId > 0);
}

QString RunMonitor::stateText() const
{
    return m_state->text();
}

} // namespace anthology::ui
