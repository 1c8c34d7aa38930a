"""Kata 08 · Read first, then join · 先读完，再 join

THE STORY
A new kind of shop: the cooks make big buns, and main is the only diner.
Each cook puts its buns on the counter, then one None to say it is done.
Main is a tidy eater: it waits for every cook to finish (joins it) before
it takes a single bun off the counter. With small buns that works. But a
multiprocessing queue is a pipe with a little helper thread (the feeder) in
each process that puts on it, and a pipe holds only so much. A cook whose
buns do not fit cannot leave: at exit it waits for its feeder to push the
last bun into the pipe, and the pipe is full, because main is not reading.
Main waits for the cook, the cook waits for main. Python's documentation
calls this "joining processes that use queues".

THE GOAL
Main eats every bun (`shop.eat(bun)`) exactly once, the cooks go home, and
the program ends by itself, however big or many the buns are.

WHAT IS BROKEN
Run `pytest` and you will see a HANG: main is blocked in `a_cook.join()`,
and the cook cannot exit until its queue is read.

THE CONTRACT (the tests call these; keep the names and parameters)
    open_shop(shop)        main: starts shop.cooks cooks, eats every bun
                           they put on the counter, joins every cook
    cook(counter, shop)    puts every bun of shop.buns() on the counter,
                           then one None
A bun can be any value, even 0 or "". Only the cooks make buns.

RUN JUST THIS KATA
    pytest --kata 08

------------------------------------------------------------------------
故事
一种新的店：厨师做大包子，main 是唯一的食客。每位厨师把包子放上柜台，最后放一个 None 表示做完了。
main 吃东西很讲究：它要等每位厨师都做完（join 它）以后，才从柜台上拿第一个包子。包子小的时候这样没问题。
可是 multiprocessing 的队列是一根管道，每个往里放东西的进程里还有一个小帮手线程（feeder），
而管道只能装下有限的数据。包子装不下时，厨师就走不了：退出时它要等 feeder 把最后一个包子推进管道，
可管道是满的，因为 main 没在读。main 等厨师，厨师等 main。Python 文档把这叫作
“joining processes that use queues”（join 使用队列的进程）。

目标
main 把每个包子都吃掉（`shop.eat(bun)`），而且只吃一次；厨师们回家；程序自己结束：
不管包子有多大、有多少。

哪里坏了
运行 `pytest`，你会看到 HANG：main 卡在 `a_cook.join()`，而厨师要等队列被读走才能退出。

约定（测试会调用这些函数；名字和参数不要改）
    open_shop(shop)        main：启动 shop.cooks 位厨师，吃掉他们放上柜台的每个包子，join 每位厨师
    cook(counter, shop)    把 shop.buns() 的每个包子放到柜台上，最后放一个 None
包子可以是任何值，甚至是 0 或 ""。只有厨师做包子。

只运行这个练习
    pytest --kata 08
"""
import multiprocessing

DONE = None  # the sentinel: no bun is ever None


def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)
    counter.put(DONE)  # this cook is done


def open_shop(shop):
    counter = multiprocessing.Queue()
    cooks = [multiprocessing.Process(target=cook, args=(counter, shop)) for _ in range(shop.cooks)]
    for a_cook in cooks:
        a_cook.start()
    # TODO: main waits for the cooks before it takes a single bun off the counter, but a cook cannot leave until
    # its buns are read. Change the order. (main 在拿第一个包子之前就等厨师结束，可厨师要等包子被读走才能离开。调换顺序。)
    for a_cook in cooks:
        a_cook.join()
    for _ in cooks:  # one DONE per cook
        while (bun := counter.get()) is not DONE:
            shop.eat(bun)


if __name__ == "__main__":  # python katas/NN_slug.py: one run of this kata through the dojo, and its report
    from dojo.learner import run_file
    run_file(__file__)
