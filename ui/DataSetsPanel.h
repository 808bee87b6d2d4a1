#pragma once

#include "util/Result.h"

#include <QWidget>

class QCustomPlot;
class QLabel;
class QPushButton;
class QTableWidget;

namespace anthology {
struct VariableDescription;
}

namespace anthology::ui {

class ProjectSession;

// The Data sets tab: the project's imported survey data sets; for one of them its variables;
// for one variable its label, value labels, missing codes, the weight and the weighted shares
// with their standard errors, as a table and a bar chart (the numbers `anthology data describe`
// prints, from the same core service). Selected variables become a questionnaire YAML, the one
// `anthology data questionnaire` prints.
class DataSetsPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DataSetsPanel)

public:
    explicit DataSetsPanel(QWidget *parent = nullptr);

    // The session to show; nullptr clears the panel. Not owned.
    void setSession(ProjectSession *session);
    // Re-reads the list of data sets, e.g. after an import; keeps the selected one.
    void reload();

    bool selectDataset(const QString &name);
    bool selectVariables(const QStringList &names); // the first becomes the described one
    QString currentDataset() const;
    QStringList selectedVariables() const;
    // Writes the questionnaire YAML of the selected variables to `path`.
    Status writeQuestionnaire(const QString &path) const;

Q_SIGNALS:
    void message(const QString &text, bool isError);

private:
    void showDataset();
    void showVariable();
    void showDescription(const VariableDescription &d);
    void plotShares(const VariableDescription &d);
    void makeQuestionnaire();
    void updateButtons();

    ProjectSession *m_session = nullptr;
    QTableWidget *m_sets;
    QTableWidget *m_variables;
    QLabel *m_title;
    QLabel *m_summary;
    QTableWidget *m_valueLabels;
    QTableWidget *m_shares;
    QCustomPlot *m_plot;
    QPushButton *m_make;
    QLabel *m_empty;
};

} // namespace anthology::ui
