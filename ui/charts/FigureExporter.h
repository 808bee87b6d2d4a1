#pragma once

#include "util/Result.h"

#include <QSize>
#include <QString>

class QCustomPlot;

namespace anthology::ui {

enum class FigureFormat { Png, Pdf, Svg };

// Writes a chart as it is drawn: PDF and SVG as vectors with text kept as text, PNG at a chosen
// resolution. `size` is the figure's size in points at 96 per inch (the layout size); a PNG at
// `dpi` has size * dpi / 96 pixels, so fonts keep their size relative to the figure.
class FigureExporter final
{
public:
    static Status save(QCustomPlot *plot, const QString &path, FigureFormat format, QSize size, int dpi = 300);
    // Pixel size of a PNG written with `size` at `dpi`.
    static QSize pngPixels(QSize size, int dpi);

    static QString extension(FigureFormat format);
    // "png", "pdf", "svg" (case-insensitive), or nothing.
    static std::optional<FigureFormat> fromName(const QString &name);
};

} // namespace anthology::ui
