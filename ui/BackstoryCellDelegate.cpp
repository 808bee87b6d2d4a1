#include "BackstoryCellDelegate.h"

#include <QApplication>
#include <QFontMetricsF>
#include <QPainter>
#include <QTextLayout>

namespace anthology::ui {

void BackstoryCellDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                                  const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    m_painted.insert(index.column(), option);
    const QWidget *widget = opt.widget;
    const QStyle *style = widget ? widget->style() : QApplication::style();
    const QString text = opt.text;
    // The style paints the background, the selection and the focus frame; the text is ours.
    opt.text.clear();
    opt.features &= ~QStyleOptionViewItem::HasDisplay;
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);
    const QRect box = textBox(opt);
    if (text.isEmpty() || box.width() <= 0)
        return;

    // The same colours and alignment as the style's own item text.
    QPalette::ColorGroup group = opt.state & QStyle::State_Enabled ? QPalette::Normal : QPalette::Disabled;
    if (group == QPalette::Normal && !(opt.state & QStyle::State_Active))
        group = QPalette::Inactive;
    const Line &shown = line(text, opt.font, box.width());
    const qreal width = shown.width + (shown.elided ? m_ellipsis.width : 0);
    const Qt::Alignment align = QStyle::visualAlignment(opt.direction, opt.displayAlignment);
    qreal x = box.x();
    if (align & Qt::AlignRight)
        x = box.x() + box.width() - width;
    else if (align & Qt::AlignHCenter)
        x = box.x() + (box.width() - width) / 2;
    const qreal y = box.y() + (box.height() - int(shown.height)) / 2;

    painter->save();
    painter->setPen(opt.palette.color(group, opt.state & QStyle::State_Selected ? QPalette::HighlightedText
                                                                                : QPalette::Text));
    if (width > box.width()) // a cell narrower than one character
        painter->setClipRect(box, Qt::IntersectClip);
    for (const QGlyphRun &run : shown.glyphs)
        painter->drawGlyphRun(QPointF(x, y), run);
    if (shown.elided)
        for (const QGlyphRun &run : m_ellipsis.glyphs)
            painter->drawGlyphRun(QPointF(x + shown.width, y), run);
    painter->restore();
}

bool BackstoryCellDelegate::prepare(const QModelIndex &index) const
{
    const auto painted = m_painted.constFind(index.column());
    if (painted == m_painted.cend())
        return false;
    QStyleOptionViewItem opt = *painted;
    initStyleOption(&opt, index);
    if (const QRect box = textBox(opt); !opt.text.isEmpty() && box.width() > 0)
        line(opt.text, opt.font, box.width());
    return true;
}

QRect BackstoryCellDelegate::textBox(const QStyleOptionViewItem &option)
{
    const QStyle *style = option.widget ? option.widget->style() : QApplication::style();
    const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, option.widget) + 1;
    return option.rect.adjusted(margin, 0, -margin, 0);
}

const BackstoryCellDelegate::Line &BackstoryCellDelegate::line(const QString &text, const QFont &font,
                                                               int width) const
{
    if (font != m_font || m_ellipsis.glyphs.isEmpty()) {
        m_lines.clear();
        m_font = font;
        m_ellipsis = layOut(QString(QChar(0x2026)), font, 1e6);
    }
    const Key key{text, width};
    if (const Line *cached = m_lines.object(key))
        return *cached;

    // Prose averages about the font's average character width; laying out characters for 60%
    // of it leaves room for a run of narrow letters. When even that much fits, the whole text
    // is laid out after all, so nothing that would show is ever cut.
    const qreal average = qMax<qreal>(1, QFontMetricsF(font).averageCharWidth());
    qsizetype budget = qsizetype(width / (0.6 * average)) + 8;
    if (budget < text.size() && text.at(budget - 1).isHighSurrogate())
        --budget;
    Line shown;
    if (budget < text.size())
        shown = layOut(text.left(budget), font, width - m_ellipsis.width);
    if (!shown.elided) {
        shown = layOut(text, font, width);
        if (shown.elided)
            shown = layOut(text, font, width - m_ellipsis.width);
    }
    auto *stored = new Line(std::move(shown));
    m_lines.insert(key, stored);
    return *stored;
}

// The first line of `text` in `width` (cut at any character, as eliding does); elided when
// the text goes on beyond it.
BackstoryCellDelegate::Line BackstoryCellDelegate::layOut(const QString &text, const QFont &font, qreal width)
{
    QTextLayout layout(text, font);
    QTextOption option;
    option.setWrapMode(QTextOption::WrapAnywhere);
    layout.setTextOption(option);
    layout.beginLayout();
    QTextLine first = layout.createLine();
    first.setLineWidth(qMax<qreal>(0, width));
    layout.endLayout();
    Line out;
    out.glyphs = first.glyphRuns();
    out.elided = first.textLength() < text.size();
    out.width = first.naturalTextWidth();
    out.height = first.height();
    // The ellipsis follows the spaces the cut ends with, as the style's eliding keeps them.
    if (out.elided)
        for (qsizetype i = first.textLength() - 1; i >= 0 && text.at(i).isSpace(); --i)
            out.width += QFontMetricsF(font).horizontalAdvance(text.at(i));
    return out;
}

} // namespace anthology::ui
