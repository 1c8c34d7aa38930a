"""Kata 16 · From the kitchen to the table · 从厨房到餐桌

THE STORY
The shop has grown a kitchen line. Cooks put raw buns on the raw counter;
steamers take them, steam them (shop.steam(bun)) and put them on the steamed
counter; diners take them from there and eat them. Three stages, two
counters. Closing the line is the hard part: each stage may stop only once
the stage before it has finished, and every worker of it must be told.

THE GOAL
Every bun goes cook → steamer → diner and is eaten exactly once; every
steamer and diner stops at its own None and goes home; the program ends by
itself.

WHAT IS BROKEN
Run `pytest` and you will see HANG: the steamers are told to stop, the
diners never are, and main waits for them in join().

THE CONTRACT (the tests call these; keep the names and parameters)
    open_shop(shop)                 main: starts shop.cooks cooks, shop.steamers
                                    steamers and shop.diners diners, closes the line
    cook(raw, shop)                 puts every bun of shop.buns() on the raw counter
    steamer(raw, steamed, shop)     takes raw buns until None, puts shop.steam(bun) on the steamed counter
    diner(steamed, shop)            takes steamed buns until None, calls shop.eat(bun)
The tests choose how many workers each stage has and how fast they work:
always use shop.cooks, shop.steamers and shop.diners.

RUN JUST THIS KATA
    pytest --kata 16

------------------------------------------------------------------------
故事
包子铺有了一条后厨流水线。厨师把生包子放到生包子柜台上；蒸笼师傅拿去蒸（shop.steam(bun)），
蒸好后放到熟包子柜台上；食客从那里拿去吃。三道工序，两个柜台。难的是收工：每道工序都只能在上一道
做完以后才停下，而且这道工序的每个工人都要被告知。

目标
每个包子都走完 厨师 → 蒸笼师傅 → 食客，并且只被吃一次；每位蒸笼师傅和食客拿到自己的 None 就停下回家；程序自己结束。

哪里坏了
运行 `pytest`，你会看到 HANG：蒸笼师傅被告知停下了，食客却从来没有，main 在 join() 里等他们。

约定（测试会调用这些；名字和参数不要改）
    open_shop(shop)                 main：启动 shop.cooks 位厨师、shop.steamers 位蒸笼师傅和
                                    shop.diners 位食客，然后让流水线收工
    cook(raw, shop)                 把 shop.buns() 的每个包子放到生包子柜台上
    steamer(raw, steamed, shop)     从生包子柜台拿包子直到 None，把 shop.steam(bun) 放到熟包子柜台上
    diner(steamed, shop)            从熟包子柜台拿包子直到 None，调用 shop.eat(bun)
每道工序有几个工人、干活的快慢，都由测试决定：一定要用 shop.cooks、shop.steamers 和 shop.diners。

只运行这个练习
    pytest --kata 16
"""
import multiprocessing


def cook(raw, shop):
    for bun in shop.buns():
        raw.put(bun)


def steamer(raw, steamed, shop):
    while (bun := raw.get()) is not None:
        steamed.put(shop.steam(bun))


def diner(steamed, shop):
    while (bun := steamed.get()) is not None:
        shop.eat(bun)


def open_shop(shop):
    raw, steamed = multiprocessing.Queue(), multiprocessing.Queue()
    cooks = [multiprocessing.Process(target=cook, args=(raw, shop)) for _ in range(shop.cooks)]
    steamers = [multiprocessing.Process(target=steamer, args=(raw, steamed, shop)) for _ in range(shop.steamers)]
    diners = [multiprocessing.Process(target=diner, args=(steamed, shop)) for _ in range(shop.diners)]
    for worker in cooks + steamers + diners:
        worker.start()
    for a_cook in cooks:
        a_cook.join()
    for _ in steamers:
        raw.put(None)
    for a_steamer in steamers:
        a_steamer.join()
    # TODO: the steamers are done: how do the diners learn it? (蒸笼师傅做完了：食客怎么知道这一点？)
    for a_diner in diners:
        a_diner.join()
    print("Every bun is steamed and eaten. The shop is closed.")


if __name__ == "__main__":  # python katas/NN_slug.py: one run of this kata through the dojo, and its report
    from dojo.learner import run_file
    run_file(__file__)
