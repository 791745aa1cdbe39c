-- want: has a trigger 'evil'
CREATE TRIGGER evil AFTER INSERT ON store BEGIN UPDATE audit SET pct = 0; END;
