"""Kata 01 · The last bun · 最后一个包子

THE STORY
One cook steams buns and puts them on the counter. One diner takes buns off
the counter and eats them. The cook makes a few buns and goes home. The diner
keeps waiting at the counter for the next bun... forever. Nobody told the
diner that the last bun has been served.

THE GOAL
Every bun is eaten exactly once, and then everyone goes home: the program
ends by itself.

WHAT IS BROKEN
Run `pytest` and you will see a HANG: the diner is blocked in
`counter.get()`, waiting for a bun that will never come.

THE CONTRACT (the tests call these; keep the names and parameters)
    open_shop(shop)        main: opens the shop and waits for everyone
    cook(counter, shop)    puts every bun of shop.buns() on the counter
    diner(counter, shop)   takes buns off the counter and calls shop.eat(bun)
A bun can be any value, even 0 or "". Only the cook makes buns.

RUN JUST THIS KATA
    pytest --kata 01              every test, under every start method
    python katas/01_sentinel.py   one run, and its report

------------------------------------------------------------------------
故事
一位厨师蒸包子，放到柜台上；一位食客从柜台上拿包子吃。厨师做完几个包子就回家了，
食客却一直守在柜台前，等下一个包子……永远等下去。没有人告诉食客：最后一个包子已经上过了。

目标
每个包子都被吃掉，而且只吃一次；然后所有人回家：程序自己结束。

哪里坏了
运行 `pytest`，你会看到 HANG：食客卡在 `counter.get()`，等一个永远不会来的包子。

约定（测试会调用这些函数；名字和参数不要改）
    open_shop(shop)        main：开店，并等所有人结束
    cook(counter, shop)    把 shop.buns() 的每个包子放到柜台上
    diner(counter, shop)   从柜台上拿包子，调用 shop.eat(bun)
包子可以是任何值，甚至是 0 或 ""。只有厨师做包子。

只运行这个练习
    pytest --kata 01              全部测试，每一种启动方式
    python katas/01_sentinel.py   运行一次，看它的报告
"""
import multiprocessing


def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)
    # TODO: tell the diner there are no more buns. (告诉食客：包子没有了。)


def diner(counter, shop):
    while True:
        bun = counter.get()
        shop.eat(bun)


def open_shop(shop):
    counter = multiprocessing.Queue()
    the_cook = multiprocessing.Process(target=cook, args=(counter, shop))
    the_diner = multiprocessing.Process(target=diner, args=(counter, shop))
    the_cook.start()
    the_diner.start()
    the_cook.join()
    the_diner.join()


if __name__ == "__main__":  # python katas/NN_slug.py: one run of this kata through the dojo, and its report
    from dojo.learner import run_file
    run_file(__file__)
