#include "charts/FigureExporter.h"

#include <qcustomplot.h>

#include <QFileInfo>
#include <QSvgGenerator>

#include <cmath>

using namespace Qt::StringLiterals;

namespace anthology::ui {

namespace {

Status saveSvg(QCustomPlot *plot, const QString &path, QSize size)
{
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(size);
    svg.setViewBox(QRect(QPoint(0, 0), size));
    svg.setResolution(96);
    svg.setTitle(QFileInfo(path).completeBaseName());
    svg.setDescription(u"Anthology Workbench figure"_s);
    QCPPainter painter;
    if (!painter.begin(&svg))
        return Error::user(u"cannot write the SVG file"_s).withFile(path);
    plot->toPainter(&painter, size.width(), size.height());
    painter.end();
    return {};
}

} // namespace

QSize FigureExporter::pngPixels(QSize size, int dpi)
{
    // QCustomPlot sizes the scaled pixmap with qRound: the same rounding, the same pixels.
    const double scale = dpi / 96.0;
    return QSize(qRound(size.width() * scale), qRound(size.height() * scale));
}

Status FigureExporter::save(QCustomPlot *plot, const QString &path, FigureFormat format, QSize size, int dpi)
{
    if (size.width() < 50 || size.height() < 50)
        return Error::user(u"a figure needs at least 50 x 50 points, got %1 x %2"_s.arg(size.width())
                               .arg(size.height()));
    bool ok = false;
    switch (format) {
    case FigureFormat::Png: {
        if (dpi < 36 || dpi > 2400)
            return Error::user(u"a resolution between 36 and 2400 dpi, got %1"_s.arg(dpi)).withKey(u"dpi"_s);
        // Laid out at `size`, drawn scaled: fonts and lines keep their size relative to the figure.
        ok = plot->savePng(path, size.width(), size.height(), dpi / 96.0, -1, dpi);
        break;
    }
    case FigureFormat::Pdf:
        ok = plot->savePdf(path, size.width(), size.height(), QCP::epNoCosmetic, u"Anthology Workbench"_s,
                           QFileInfo(path).completeBaseName());
        break;
    case FigureFormat::Svg:
        return saveSvg(plot, path, size);
    }
    if (!ok)
        return Error::user(u"cannot write the figure"_s).withFile(path);
    return {};
}

QString FigureExporter::extension(FigureFormat format)
{
    switch (format) {
    case FigureFormat::Png:
        return u"png"_s;
    case FigureFormat::Pdf:
        return u"pdf"_s;
    case FigureFormat::Svg:
        return u"svg"_s;
    }
    return {};
}

std::optional<FigureFormat> FigureExporter::fromName(const QString &name)
{
    const QString n = name.trimmed().toLower();
    if (n == u"png"_s)
        return FigureFormat::Png;
    if (n == u"pdf"_s)
        return FigureFormat::Pdf;
    if (n == u"svg"_s)
        return FigureFormat::Svg;
    return std::nullopt;
}

} // namespace anthology::ui
