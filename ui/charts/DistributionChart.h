#pragma once

#include "charts/DistributionBars.h"

#include <qcustomplot.h>

namespace anthology::ui {

struct FigureData;

// The question view: one question's answer shares, humans against every run, with the
// distances to the humans in the title.
class DistributionChart final : public QCustomPlot
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DistributionChart)

public:
    explicit DistributionChart(QWidget *parent = nullptr);

    // Question `question` of the overall table, or of `group` when given.
    void showQuestion(const FigureData &data, qsizetype question, const QString &group = {});
    void clearChart(const QString &message);

    const DrawnBars &drawn() const { return m_drawn; }
    QString titleText() const;

private:
    DrawnBars m_drawn;
    QCPTextElement *m_title = nullptr;
};

} // namespace anthology::ui
