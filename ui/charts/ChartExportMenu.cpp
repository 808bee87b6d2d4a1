#include "charts/ChartExportMenu.h"

#include "charts/ChartStyle.h"
#include "charts/FigureExporter.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QClipboard>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMenu>
#include <QSettings>

using namespace Qt::StringLiterals;

namespace anthology::ui {

ChartExportMenu::ChartExportMenu(QCustomPlot *plot, std::function<QString()> name)
    : QObject(plot), m_plot(plot), m_name(std::move(name))
{
    plot->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(plot, &QWidget::customContextMenuRequested, this, &ChartExportMenu::showMenu);
}

void ChartExportMenu::showMenu(const QPoint &pos)
{
    QMenu menu(m_plot);
    QAction *save = menu.addAction(tr("Export Figure (PDF, SVG, PNG)..."), this, &ChartExportMenu::exportFigure);
    save->setShortcut(QKeySequence(u"Ctrl+Shift+E"_s));
    menu.addAction(tr("Copy as Image"), this, &ChartExportMenu::copyImage);
    menu.exec(m_plot->mapToGlobal(pos));
}

void ChartExportMenu::exportFigure()
{
    QSettings settings;
    const QString folder = settings.value(u"results/exportFolder"_s).toString();
    QString selected = settings.value(u"results/exportFilter"_s, tr("PDF (*.pdf)")).toString();
    const QString path = QFileDialog::getSaveFileName(m_plot, tr("Export Figure"),
                                                      QDir(folder).filePath(m_name() + u".pdf"_s),
                                                      tr("PDF (*.pdf);;SVG (*.svg);;PNG (*.png)"), &selected);
    if (path.isEmpty())
        return;
    settings.setValue(u"results/exportFolder"_s, QFileInfo(path).absolutePath());
    settings.setValue(u"results/exportFilter"_s, selected);
    std::optional<FigureFormat> format = FigureExporter::fromName(QFileInfo(path).suffix());
    if (!format)
        format = selected.contains(u"svg"_s) ? FigureFormat::Svg
                 : selected.contains(u"png"_s) ? FigureFormat::Png
                                               : FigureFormat::Pdf;
    QString file = path;
    if (QFileInfo(path).suffix().isEmpty())
        file += u'.' + FigureExporter::extension(*format);
    int dpi = settings.value(u"results/dpi"_s, 300).toInt();
    if (*format == FigureFormat::Png) {
        bool ok = false;
        dpi = QInputDialog::getInt(m_plot, tr("PNG Resolution"), tr("Dots per inch:"), dpi, 72, 1200, 1, &ok);
        if (!ok)
            return;
        settings.setValue(u"results/dpi"_s, dpi);
    }
    // The figure as laid out on screen, at least the size of a column-wide figure.
    const QSize size(std::max(m_plot->width(), ChartStyle::exportWidth / 2),
                     std::max(m_plot->height(), ChartStyle::exportHeight / 2));
    const Status st = FigureExporter::save(m_plot, file, *format, size, dpi);
    Q_EMIT exported(file, bool(st), st ? QString() : st.error().toString());
}

void ChartExportMenu::copyImage()
{
    QApplication::clipboard()->setPixmap(m_plot->toPixmap(0, 0, 2.0));
}

} // namespace anthology::ui
