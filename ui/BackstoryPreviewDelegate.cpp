#include "BackstoryPreviewDelegate.h"

namespace anthology::ui {

void BackstoryPreviewDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const int width = option->rect.width();
    if (width <= 0)
        return;
    // Prose averages about the font's average character width; counting characters at 60% of
    // it leaves room for a run of narrow letters, and the style still elides what is too long.
    const int average = qMax(1, option->fontMetrics.averageCharWidth());
    const qsizetype budget = qsizetype(width / (0.6 * average)) + 8;
    if (option->text.size() > budget)
        option->text = option->text.left(budget) + QChar(0x2026);
}

} // namespace anthology::ui
