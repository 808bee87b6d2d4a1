#pragma once

#include <qcustomplot.h>

namespace anthology {
struct TraitComposition;
}

namespace anthology::ui {

// The demographic make-up of a persona set, one panel per trait: the data set's weighted
// respondents, the personas' sampled shares and, where the run read logprobs, their expected
// shares, in the wave's shared categories.
class PersonaChart final : public QCustomPlot
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PersonaChart)

public:
    explicit PersonaChart(QWidget *parent = nullptr);

    void showComposition(const QList<TraitComposition> &traits, qint64 runId, const QString &runLabel,
                         const QString &dataset);
    void clearChart(const QString &message);

    // Per trait: humans, sampled, expected (nullptr when none).
    struct Panel
    {
        QCPBars *humans = nullptr;
        QCPBars *sampled = nullptr;
        QCPBars *expected = nullptr;
    };
    const QList<Panel> &panels() const { return m_panels; }

private:
    QList<Panel> m_panels;
};

} // namespace anthology::ui
