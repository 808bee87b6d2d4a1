#include "charts/FigureData.h"

namespace anthology::ui {

QList<const StudyRow *> FigureData::runRows(const StudyTable &table) const
{
    QList<const StudyRow *> rows;
    for (const FigureRun &run : runs)
        rows.append(StudyReport::runRow(table, run.label));
    return rows;
}

} // namespace anthology::ui
