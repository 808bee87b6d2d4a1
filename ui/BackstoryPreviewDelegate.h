#pragma once

#include <QStyledItemDelegate>

namespace anthology::ui {

// Paints the backstory column with only as much of the ~200-character preview as the cell can
// show. The style lays out, elides and draws the whole string of every visible cell, which
// made most of a repaint at 100,000 rows (PageDown repaints every row); the text is cut first
// at a safe margin beyond the cell's width, with an ellipsis, so what shows is unchanged.
class BackstoryPreviewDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BackstoryPreviewDelegate)

public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
};

} // namespace anthology::ui
