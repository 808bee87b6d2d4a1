#include "charts/ChartStyle.h"

#include <qcustomplot.h>

#include <QStringList>

using namespace Qt::StringLiterals;

namespace anthology::ui {

namespace {

// Okabe & Ito (2008) without black (kept for text) and with yellow last: it is faint on white.
const QColor kRunColors[] = {QColor(0x00, 0x72, 0xB2), QColor(0xD5, 0x5E, 0x00), QColor(0x00, 0x9E, 0x73),
                             QColor(0xCC, 0x79, 0xA7), QColor(0xE6, 0x9F, 0x00), QColor(0x56, 0xB4, 0xE9),
                             QColor(0xF0, 0xE4, 0x42)};

class PercentTicker final : public QCPAxisTicker
{
protected:
    QString getTickLabel(double tick, const QLocale &locale, QChar, int) override
    {
        return locale.toString(tick * 100.0, 'f', 0) + u'%';
    }
};

QFont font(double points, bool bold = false)
{
    QFont f(u"DejaVu Sans"_s);
    f.setPointSizeF(points);
    f.setBold(bold);
    return f;
}

} // namespace

QColor ChartStyle::humanColor()
{
    return QColor(0x59, 0x59, 0x59);
}

QColor ChartStyle::runColor(qint64 runId)
{
    const qint64 n = qint64(std::size(kRunColors));
    return kRunColors[((runId - 1) % n + n) % n];
}

QColor ChartStyle::gridColor()
{
    return QColor(0xE3, 0xE3, 0xE3);
}

QFont ChartStyle::titleFont()
{
    return font(10.5, true);
}

QFont ChartStyle::labelFont()
{
    return font(9.5);
}

QFont ChartStyle::tickFont()
{
    return font(8.5);
}

QFont ChartStyle::smallFont()
{
    return font(8);
}

void ChartStyle::apply(QCustomPlot *plot)
{
    plot->setBackground(Qt::white);
    plot->setAntialiasedElements(QCP::aeAll);
    plot->setNoAntialiasingOnDrag(true);
    plot->setFont(tickFont());
    if (plot->axisRect())
        styleAxisRect(plot->axisRect());
    styleLegend(plot->legend);
}

void ChartStyle::styleAxisRect(QCPAxisRect *rect)
{
    for (QCPAxis *axis : rect->axes()) {
        axis->setLabelFont(labelFont());
        axis->setTickLabelFont(tickFont());
        axis->setBasePen(QPen(QColor(0x40, 0x40, 0x40), 1));
        axis->setTickPen(QPen(QColor(0x40, 0x40, 0x40), 1));
        axis->setSubTickPen(Qt::NoPen);
        axis->setTickLengthOut(3);
        axis->setTickLengthIn(0);
        axis->grid()->setPen(QPen(gridColor(), 1));
        axis->grid()->setZeroLinePen(Qt::NoPen);
    }
    rect->axis(QCPAxis::atTop)->setVisible(false);
    rect->axis(QCPAxis::atRight)->setVisible(false);
}

void ChartStyle::styleLegend(QCPLegend *legend)
{
    if (!legend)
        return;
    legend->setFont(labelFont());
    legend->setBorderPen(Qt::NoPen);
    legend->setBrush(Qt::NoBrush);
    legend->setIconSize(14, 10);
}

void ChartStyle::percentTicks(QCPAxis *axis, int ticks)
{
    auto ticker = QSharedPointer<QCPAxisTicker>(new PercentTicker);
    ticker->setTickCount(ticks);
    axis->setTicker(ticker);
}

QString ChartStyle::wrap(const QString &text, int width)
{
    QStringList lines;
    QString line;
    for (const QString &word : text.simplified().split(u' ', Qt::SkipEmptyParts)) {
        if (!line.isEmpty() && line.size() + 1 + word.size() > width) {
            lines.append(line);
            line.clear();
        }
        line += (line.isEmpty() ? QString() : u" "_s) + word;
    }
    if (!line.isEmpty())
        lines.append(line);
    return lines.join(u'\n');
}

} // namespace anthology::ui
