#pragma once

#include <QCache>
#include <QFont>
#include <QGlyphRun>
#include <QHash>
#include <QList>
#include <QStyledItemDelegate>

namespace anthology::ui {

// Paints the cells of the backstory table with one text layout per cell and remembers it.
// The style lays out every cell's text three times (to size it, to elide it, to draw it),
// which made most of a repaint at 100,000 rows: PageDown repaints every row, and the GUI
// thread stalled up to 25 ms. Here the background, selection and focus still come from the
// style; the text, one line, is cut to what the cell can show at a margin, laid out once
// and elided at a character as the style does, and its glyphs are kept for the next paint
// of the same text at the same width. prepare() lays out a cell before it is shown, so the
// rows a scroll is about to bring can be laid out while the window is idle.
class BackstoryCellDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BackstoryCellDelegate)

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    // Lays out the cell's text as it will be painted, at the width its column was last painted
    // with; false when that column has not been painted yet.
    bool prepare(const QModelIndex &index) const;

private:
    struct Line
    {
        QList<QGlyphRun> glyphs;
        qreal width = 0;
        qreal height = 0;
        bool elided = false;
    };
    struct Key
    {
        QString text;
        int width = 0;
        bool operator==(const Key &other) const = default;
        friend size_t qHash(const Key &key, size_t seed = 0) { return qHashMulti(seed, key.text, key.width); }
    };

    // The cell's text box: the cell less the style's text margins.
    static QRect textBox(const QStyleOptionViewItem &option);
    const Line &line(const QString &text, const QFont &font, int width) const;
    static Line layOut(const QString &text, const QFont &font, qreal width);

    mutable QCache<Key, Line> m_lines{4096};
    mutable QFont m_font; // the font of the cached lines
    mutable Line m_ellipsis;
    mutable QHash<int, QStyleOptionViewItem> m_painted; // per column, the option of its last paint
};

} // namespace anthology::ui
