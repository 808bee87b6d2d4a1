#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

namespace anthology::ui {

// What the Results tab offers to choose from, read off the GUI thread.
struct ResultsCatalog
{
    struct Run
    {
        qint64 id = 0;
        QString name;
        QString status;
    };
    struct Variable
    {
        QString name;
        QString label; // in words; empty when the file has none
    };
    struct Dataset
    {
        QString name;
        qsizetype rows = 0;
        QList<Variable> subgroups; // demographic variables first, then other labelled ones
    };

    QString projectPath;
    QList<Dataset> datasets;
    QList<Run> runs;             // survey runs, by id
    QList<Run> demographicsRuns; // the persona sets' demographic surveys, by id
    QList<Run> matches;          // stored matches (id, name, method as status), oldest first
    QString error;
};

} // namespace anthology::ui

Q_DECLARE_METATYPE(anthology::ui::ResultsCatalog)
