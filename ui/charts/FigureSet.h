#pragma once

#include "charts/FigureExporter.h"
#include "util/Result.h"

#include <QJsonObject>
#include <QSize>
#include <QStringList>

namespace anthology::ui {

struct FigureData;
struct FigureRequest;

// Every figure of a study, written to one folder by the same chart classes the window shows
// (FigureSetWriter draws them one file at a time): the overview, one question view per
// question, the subgroup panels per question (with a subgroup variable), one correlation
// heatmap per run, the overview table as CSV and LaTeX, and manifest.json naming for each
// file the runs, data set, subgroup, metric and the `anthology figures` command that redraws it.
class FigureSet final
{
public:
    struct Options
    {
        FigureFormat format = FigureFormat::Pdf;
        QSize size{900, 600};
        int dpi = 300;
    };

    // Returns the manifest written.
    static Result<QJsonObject> write(const FigureData &data, const FigureRequest &request, const QString &folder,
                                     const Options &options);
    // A file name part from a question id or group label: letters, digits, '-' and '_'.
    static QString slug(const QString &text);
};

} // namespace anthology::ui
