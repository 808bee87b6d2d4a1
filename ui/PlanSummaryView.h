#pragma once

#include "pipeline/RunEstimate.h"

#include <QWidget>

class QLabel;
class QPushButton;

namespace anthology::ui {

// What a launch will do, before a single request: the planned run, its items and requests,
// estimated tokens, cost and time, with Start and Discard.
class PlanSummaryView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PlanSummaryView)

public:
    explicit PlanSummaryView(QWidget *parent = nullptr);

    void present(qint64 runId, const QString &what, const QString &command, const RunEstimate &estimate);
    QString text() const; // everything shown, for tests and the clipboard
    QPushButton *startButton() const { return m_start; }

Q_SIGNALS:
    void startRequested();
    void discardRequested();

private:
    QLabel *m_title;
    QLabel *m_body;
    QPushButton *m_start;
    QPushButton *m_discard;
};

} // namespace anthology::ui
