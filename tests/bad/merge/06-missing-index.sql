-- want: has no index 'answer_item'
DROP INDEX answer_item;
