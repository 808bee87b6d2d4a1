#pragma once

#include <QTableView>

namespace anthology::ui {

// A results table with the paper exports in its context menu: copy as TSV (also Ctrl+C),
// export as CSV or as a LaTeX booktabs table.
class ResultsTableView final : public QTableView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResultsTableView)

public:
    explicit ResultsTableView(QWidget *parent = nullptr);

    void setCaption(const QString &caption) { m_caption = caption; }
    void copyTsv();
    void exportFile(bool latex);

Q_SIGNALS:
    void exported(const QString &path, bool ok, const QString &error);

private:
    QString m_caption;
};

} // namespace anthology::ui
