#include "PlanSummaryView.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace anthology::ui {

namespace {

QString roughDuration(double seconds)
{
    if (seconds < 90)
        return QObject::tr("%1 s").arg(qint64(seconds + 0.5));
    if (seconds < 5400)
        return QObject::tr("%1 min").arg(qint64(seconds / 60 + 0.5));
    return QObject::tr("%1 h").arg(seconds / 3600, 0, 'f', 1);
}

} // namespace

PlanSummaryView::PlanSummaryView(QWidget *parent)
    : QWidget(parent), m_title(new QLabel(this)), m_body(new QLabel(this)),
      m_start(new QPushButton(tr("Start run"), this)), m_discard(new QPushButton(tr("Not now"), this))
{
    setObjectName(u"planSummary"_s);
    m_title->setObjectName(u"planTitle"_s);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_body->setObjectName(u"planBody"_s);
    m_body->setTextFormat(Qt::RichText);
    m_body->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_body->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_start->setObjectName(u"planStart"_s);
    m_start->setDefault(true);
    m_discard->setObjectName(u"planDiscard"_s);
    m_discard->setToolTip(tr("Keep the planned run (it is listed above) without sending anything."));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_discard);
    buttons->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_body);
    layout->addLayout(buttons);
    layout->addStretch(1);
    connect(m_start, &QPushButton::clicked, this, &PlanSummaryView::startRequested);
    connect(m_discard, &QPushButton::clicked, this, &PlanSummaryView::discardRequested);
}

void PlanSummaryView::present(qint64 runId, const QString &what, const QString &command, const RunEstimate &e)
{
    const QLocale l;
    m_title->setText(tr("Ready to send: run %1 · %2").arg(runId).arg(what));
    QString time;
    if (e.secondsByRateLimit)
        time = tr("at least %1 by the profile's rate limits").arg(roughDuration(*e.secondsByRateLimit));
    else
        time = tr("no rate limits in the profile; %1 at one second a request").arg(roughDuration(e.secondsAtOneSecondEach));
    const QString cost = e.cost ? l.toString(*e.cost, 'f', 4) : tr("no prices in the profile");
    const QString rows =
        u"<table cellspacing='0' cellpadding='2'>"_s +
        tr("<tr><td>Command</td><td><code>%1</code></td></tr>").arg(command.toHtmlEscaped()) +
        tr("<tr><td>Endpoint</td><td>%1 · model %2</td></tr>")
            .arg(e.endpoint.toHtmlEscaped(), e.model.isEmpty() ? tr("(the server's)") : e.model.toHtmlEscaped()) +
        tr("<tr><td>Items</td><td>%1 planned, %2 to send</td></tr>").arg(l.toString(e.items), l.toString(e.pending)) +
        tr("<tr><td>Requests</td><td>%1, %2 in flight</td></tr>").arg(l.toString(e.requests), l.toString(e.inFlight)) +
        tr("<tr><td>Tokens (est.)</td><td>%1 prompt, at most %2 completion</td></tr>")
            .arg(l.toString(e.promptTokens), l.toString(e.completionTokens)) +
        tr("<tr><td>Cost (est.)</td><td>%1</td></tr>").arg(cost) +
        tr("<tr><td>Time (est.)</td><td>%1</td></tr>").arg(time) + u"</table>"_s;
    m_body->setText(rows);
    m_start->setEnabled(e.pending > 0);
}

QString PlanSummaryView::text() const
{
    QString plain = m_body->text();
    plain.replace(u"</td><td>"_s, u": "_s).replace(u"</tr>"_s, u"\n"_s);
    static const QRegularExpression tags(u"<[^>]*>"_s);
    plain.remove(tags);
    return m_title->text() + u'\n' + plain;
}

} // namespace anthology::ui
