#pragma once

#include <qcustomplot.h>

namespace anthology {
struct MatchWeights;
}

namespace anthology::ui {

// A stored match at a glance: how many respondents found a persona, and how strong the pairs
// are (a histogram of log10 of the pair weights).
class MatchChart final : public QCustomPlot
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MatchChart)

public:
    explicit MatchChart(QWidget *parent = nullptr);

    void showMatch(const MatchWeights &match);
    void clearChart(const QString &message);

    QCPBars *bins() const { return m_bins; }
    QString titleText() const { return m_title; }

private:
    QCPBars *m_bins = nullptr;
    QString m_title;
};

} // namespace anthology::ui
