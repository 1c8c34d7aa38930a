"""Kata 02 · One None per diner · 每位食客一个 None

THE STORY
Business is good: the shop now has several cooks and several diners, all at
one counter. Main opens the shop, waits until every cook has gone home, and
then puts one None on the counter, just as it did for a single diner. One
diner takes that None and goes home. The other diners keep waiting at the
counter... forever. A None stops only the diner who takes it.

THE GOAL
Every bun is eaten exactly once, every diner goes home, and the program ends
by itself, however many cooks and diners the shop has.

WHAT IS BROKEN
Run `pytest` and you will see a HANG: every diner but one is blocked in
`counter.get()`, and main waits for them in `a_diner.join()`.

THE CONTRACT (the tests call these; keep the names and parameters)
    open_shop(shop)        main: starts shop.cooks cooks and shop.diners
                           diners, and waits for everyone
    cook(counter, shop)    puts every bun of shop.buns() on the counter
    diner(counter, shop)   takes buns off the counter and calls shop.eat(bun),
                           until it gets None
The tests choose how many cooks and diners there are, and how fast they
work: always use shop.cooks and shop.diners. Only the cooks make buns.

RUN JUST THIS KATA
    pytest --kata 02                        every test, under every start method
    python katas/02_sentinel_per_diner.py   one run, and its report

------------------------------------------------------------------------
故事
生意兴隆：店里现在有好几位厨师、好几位食客，共用一个柜台。main 开店，等所有厨师都回家以后，
像以前只有一位食客时那样，往柜台上放一个 None。一位食客拿到这个 None，回家了；
其他食客却一直守在柜台前……永远等下去。一个 None 只能让拿到它的那位食客停下。

目标
每个包子都被吃掉，而且只吃一次；每位食客都回家；程序自己结束。不管店里有几位厨师、几位食客，都要如此。

哪里坏了
运行 `pytest`，你会看到 HANG：除了一位食客，其他食客都卡在 `counter.get()`，
main 在 `a_diner.join()` 里等它们。

约定（测试会调用这些函数；名字和参数不要改）
    open_shop(shop)        main：启动 shop.cooks 位厨师和 shop.diners 位食客，并等所有人结束
    cook(counter, shop)    把 shop.buns() 的每个包子放到柜台上
    diner(counter, shop)   从柜台上拿包子，调用 shop.eat(bun)，直到拿到 None
厨师和食客的人数、干活的快慢，都由测试决定：一定要用 shop.cooks 和 shop.diners。只有厨师做包子。

只运行这个练习
    pytest --kata 02                        全部测试，每一种启动方式
    python katas/02_sentinel_per_diner.py   运行一次，看它的报告
"""
import multiprocessing


def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)


def diner(counter, shop):
    while (bun := counter.get()) is not None:
        shop.eat(bun)


def open_shop(shop):
    counter = multiprocessing.Queue()
    cooks = [multiprocessing.Process(target=cook, args=(counter, shop)) for _ in range(shop.cooks)]
    diners = [multiprocessing.Process(target=diner, args=(counter, shop)) for _ in range(shop.diners)]
    for person in cooks + diners:
        person.start()
    for a_cook in cooks:
        a_cook.join()
    counter.put(None)
    # TODO: one None stops one diner; every diner needs its own. (一个 None 只能让一位食客停下；每位食客都需要自己的 None。)
    for a_diner in diners:
        a_diner.join()


if __name__ == "__main__":  # python katas/NN_slug.py: one run of this kata through the dojo, and its report
    from dojo.learner import run_file
    run_file(__file__)
